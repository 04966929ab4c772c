// The text/event-stream format (WHATWG HTML, "Server-sent events"), parsed incrementally: the API's
// streams need an Authorization header, which EventSource cannot send, so the app reads them with
// fetch() and hands each decoded chunk here.

/** One dispatched event: `event` defaults to "message"; `id` is the last id seen on the stream. */
export interface SseEvent {
  event: string;
  data: string;
  id: string | undefined;
}

export interface SseParser {
  /** Feeds decoded text; returns the events completed by it (a chunk may end mid-line). */
  push(text: string): SseEvent[];
  /** The last `id:` seen, to send back as `Last-Event-ID` on reconnect. */
  lastEventId(): string | undefined;
  /** The last `retry:` the server asked for, in milliseconds. */
  retry(): number | undefined;
}

export function createSseParser(initialId?: string): SseParser {
  let buffer = "";
  let lastId = initialId;
  let retry: number | undefined;
  let event = "";
  let data: string[] = [];

  function line(text: string, out: SseEvent[]): void {
    if (text === "") {
      // A blank line dispatches; a block with no data (a bare id, keep-alive) dispatches nothing.
      if (data.length > 0) out.push({ event: event || "message", data: data.join("\n"), id: lastId });
      event = "";
      data = [];
      return;
    }
    if (text.startsWith(":")) return; // a comment: the server's keep-alive
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
    else if (field === "id" && !value.includes("\0")) lastId = value;
    else if (field === "retry" && /^\d+$/.test(value)) retry = Number(value);
  }

  return {
    push(text) {
      buffer += text;
      const out: SseEvent[] = [];
      // Lines end with CRLF, LF or CR; a CR at the very end may be the first half of a CRLF.
      for (;;) {
        const match = /\r\n|\n|\r(?=[^\n])/.exec(buffer);
        if (!match) break;
        line(buffer.slice(0, match.index), out);
        buffer = buffer.slice(match.index + match[0].length);
      }
      return out;
    },
    lastEventId: () => lastId,
    retry: () => retry,
  };
}
