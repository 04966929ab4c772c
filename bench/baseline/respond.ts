import type { IncomingMessage, ServerResponse } from "node:http";

// Writing answers and reading bodies by hand: what any HTTP framework does, at its cheapest.

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendProblem(res: ServerResponse, status: number, title: string, detail: string): void {
  const text = JSON.stringify({ type: "about:blank", title, status, detail });
  res.writeHead(status, {
    "content-type": "application/problem+json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** The JSON body of a request (64 KiB at most), or undefined when it is not valid JSON. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 65_536) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return undefined;
  }
}
