import { expect } from "vitest";

/** One frame as a client reads it; a frame of only comments has just `comment`. */
export interface ReadFrame {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
  comment?: string;
}

/**
 * Reads Server-Sent Events from a response body the way a fetch()-based client does. `next()` waits for
 * the next frame (undefined once the server ended the stream); waits are bounded by the test's timeout
 * only, never by a timer of their own.
 */
export function sseReader(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let ended = false;

  async function next(): Promise<ReadFrame | undefined> {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        return parseFrame(block);
      }
      if (ended) return undefined;
      const { done, value } = await reader.read();
      if (done) ended = true;
      else buffer += value;
    }
  }

  /** Frames up to and including the first that `stop` accepts; keep-alives are left out. */
  async function until(stop: (frame: ReadFrame) => boolean): Promise<ReadFrame[]> {
    const frames: ReadFrame[] = [];
    for (;;) {
      const frame = await next();
      if (!frame)
        throw new Error(`the stream ended before the awaited frame; read ${JSON.stringify(frames)}`);
      if (frame.comment !== undefined && frame.event === undefined && frame.data === undefined) continue;
      frames.push(frame);
      if (stop(frame)) return frames;
    }
  }

  return {
    next,
    until,
    /** The data frames (events) up to the first of `event` whose JSON `data` matches `match`. */
    // biome-ignore lint/suspicious/noExplicitAny: frames' data is read field by field in assertions
    async untilEvent(event: string, match: (data: any) => boolean) {
      return (await until((f) => f.event === event && match(JSON.parse(f.data ?? "null")))).filter(
        (f) => f.event !== undefined,
      );
    },
    /** Every frame until the server ends the stream. */
    async rest(): Promise<ReadFrame[]> {
      const frames: ReadFrame[] = [];
      for (let f = await next(); f; f = await next()) frames.push(f);
      return frames;
    },
    /** The client goes away. */
    cancel: () => reader.cancel(),
  };
}

function parseFrame(block: string): ReadFrame {
  const frame: ReadFrame = {};
  for (const line of block.split("\n")) {
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "") frame.comment = value;
    else if (field === "id") frame.id = value;
    else if (field === "event") frame.event = value;
    else if (field === "retry") frame.retry = Number(value);
    else if (field === "data") frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
  }
  return frame;
}
