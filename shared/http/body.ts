import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import { HttpProblem } from "./http-problem.ts";

/** The largest request body any route accepts. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads the request body as JSON or as a form (`application/x-www-form-urlencoded`, as Little Lemon
 * clients send it), never more than 64 KiB whatever the headers claim (a chunked body is counted as it
 * streams). An empty body is `{}`. Unparseable: 400; too large: 413; another media type: 415.
 */
export async function readBody(c: Context): Promise<Record<string, unknown>> {
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new HttpProblem(413, "The request body is larger than 64 KiB.");
  const incoming = unreadIncoming(c);
  const text = incoming ? decodeUtf8(await readIncoming(incoming)) : await readCapped(c.req.raw);
  if (text.trim() === "") return {};
  const type = (c.req.header("content-type") ?? "application/json").split(";")[0]!.trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") {
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (type === "multipart/form-data") {
    throw new HttpProblem(415, "Send the body as JSON or as application/x-www-form-urlencoded.");
  }
  if (type !== "application/json" && !type.endsWith("+json") && type !== "text/plain") {
    throw new HttpProblem(415, `A body of type ${type.slice(0, 60)} is not accepted; send JSON.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HttpProblem(400, "The request body is not valid JSON.");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new HttpProblem(400, "The request body must be a JSON object.");
  }
  return parsed as Record<string, unknown>;
}

/**
 * Reads a request body as UTF-8 text, never more than 64 KiB however it is sent (413 past that, 400 when
 * it is not UTF-8). For edges that parse the body themselves (the CloudEvents receiver).
 */
export async function readCappedText(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new HttpProblem(413, "The request body is larger than 64 KiB.");
  return readCapped(request);
}

/**
 * Reads a request body as bytes, whatever they are, never more than 64 KiB however it is sent (413 past
 * that). For the dead-letter sink, which keeps what it is given even when it is not text.
 */
export async function readCappedBytes(request: Request): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new HttpProblem(413, "The request body is larger than 64 KiB.");
  return readCappedRaw(request);
}

async function readCapped(request: Request): Promise<string> {
  return decodeUtf8(await readCappedRaw(request));
}

async function readCappedRaw(request: Request): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw new HttpProblem(413, "The request body is larger than 64 KiB.");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new HttpProblem(400, "The request body is not valid UTF-8.");
  }
}

/**
 * The Node request behind `c` when @hono/node-server serves the app (it passes `{ incoming, outgoing }`
 * as the env) and nothing has read its body yet. Reading it directly skips wrapping it in a WHATWG
 * Request and ReadableStream, a cost per request the benchmarks see (bench/README.md, "Figures behind
 * code choices").
 */
function unreadIncoming(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming || typeof incoming.on !== "function") return undefined;
  return incoming.readableDidRead || incoming.readableEnded || incoming.destroyed ? undefined : incoming;
}

/** The body of a Node request, never more than 64 KiB (413 past that, whatever the headers said). */
function readIncoming(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      incoming.off("data", onData);
      incoming.off("end", onEnd);
      incoming.off("error", onError);
    };
    function onData(chunk: Buffer) {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      // Stop keeping it: the rest flows away unread while the 413 is answered.
      stop();
      reject(new HttpProblem(413, "The request body is larger than 64 KiB."));
    }
    function onEnd() {
      stop();
      resolve(Buffer.concat(chunks));
    }
    function onError(error: Error) {
      stop();
      reject(error);
    }
    incoming.on("data", onData);
    incoming.on("end", onEnd);
    incoming.on("error", onError);
  });
}
