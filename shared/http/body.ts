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
  const text = await readCapped(c.req.raw);
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

async function readCapped(request: Request): Promise<string> {
  if (!request.body) return "";
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
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new HttpProblem(400, "The request body is not valid UTF-8.");
  }
}
