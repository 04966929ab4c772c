/** One Server-Sent Events frame; `comment` alone makes a comment line (a keep-alive). */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
  comment?: string;
}

/** The frame as it goes on the wire; `data` may hold several lines, each gets its own `data:` field. */
export function formatFrame(frame: SseFrame): string {
  const lines: string[] = [];
  if (frame.comment !== undefined) lines.push(`: ${frame.comment}`);
  if (frame.retry !== undefined) lines.push(`retry: ${frame.retry}`);
  if (frame.id !== undefined) lines.push(`id: ${oneLine(frame.id)}`);
  if (frame.event !== undefined) lines.push(`event: ${oneLine(frame.event)}`);
  if (frame.data !== undefined)
    for (const line of frame.data.split(/\r\n|\r|\n/)) lines.push(`data: ${line}`);
  return `${lines.join("\n")}\n\n`;
}

function oneLine(value: string): string {
  if (/[\r\n]/.test(value)) throw new Error("an SSE id or event name must be one line");
  return value;
}

/** The writing end of a stream. */
export interface SseChannel {
  /** Queues a frame; false once the stream is closed (or was closed because the client stopped reading). */
  send(frame: SseFrame): boolean;
  /** Ends the stream for the client; idempotent. */
  close(): void;
  readonly closed: boolean;
}

/**
 * A response body of SSE frames and the channel that writes it. `onClose` runs once when the stream
 * ends, whichever side ends it (the client goes away, `close()`, or a client too slow to read
 * `maxQueued` frames, which is cut off rather than buffered without bound).
 */
export function sseBody(options: { maxQueued: number; onClose: () => void }): {
  body: ReadableStream<Uint8Array>;
  channel: SseChannel;
} {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const finish = () => {
    if (closed) return false;
    closed = true;
    options.onClose();
    return true;
  };
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel() {
      finish();
    },
  });
  const channel: SseChannel = {
    send(frame) {
      if (closed) return false;
      if ((controller.desiredSize ?? 0) < -options.maxQueued) {
        channel.close();
        return false;
      }
      controller.enqueue(encoder.encode(formatFrame(frame)));
      return true;
    },
    close() {
      if (finish()) controller.close();
    },
    get closed() {
      return closed;
    },
  };
  return { body, channel };
}
