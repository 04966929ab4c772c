import { createSseParser, type SseEvent } from "./sse-parser.ts";

export interface ReadStreamOptions {
  url: string;
  /** Request headers (the Authorization header among them), read at each connect. */
  headers: () => Promise<Record<string, string>>;
  fetch: typeof globalThis.fetch;
  signal: AbortSignal;
  /** Sent as `Last-Event-ID` so the server replays what this client missed. */
  lastEventId: string | undefined;
  /** Called once the server has accepted the stream (2xx, text/event-stream). */
  onOpen: () => void;
  onEvent: (event: SseEvent) => void;
}

export interface StreamEnd {
  /** The HTTP status of the answer (200 when the stream ran and the server ended it). */
  status: number;
  lastEventId: string | undefined;
  /** The server's `retry:` advice, if any. */
  retry: number | undefined;
}

/**
 * One connection to a server-sent event stream read with fetch(), until the server ends it or the
 * signal aborts. A network failure rejects; any answer that is not an event stream resolves with its
 * status, so the caller can tell "no such stream here" (404) from "try again later".
 */
export async function readStream(options: ReadStreamOptions): Promise<StreamEnd> {
  const headers: Record<string, string> = { accept: "text/event-stream", ...(await options.headers()) };
  if (options.lastEventId !== undefined) headers["last-event-id"] = options.lastEventId;
  const response = await options.fetch(options.url, { headers, signal: options.signal, cache: "no-store" });
  const type = response.headers.get("content-type") ?? "";
  if (!response.ok || !type.startsWith("text/event-stream") || !response.body) {
    await response.body?.cancel();
    return {
      status: response.ok ? 415 : response.status,
      lastEventId: options.lastEventId,
      retry: undefined,
    };
  }
  options.onOpen();
  const parser = createSseParser(options.lastEventId);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const event of parser.push(value)) options.onEvent(event);
    }
  } finally {
    reader.releaseLock();
  }
  return { status: response.status, lastEventId: parser.lastEventId(), retry: parser.retry() };
}
