import { describe, expect, it } from "vitest";
import { createSseParser } from "./sse-parser.ts";

describe("the event-stream parser", () => {
  it("dispatches events with their type, data and id, across chunk boundaries", () => {
    const parser = createSseParser();
    expect(parser.push('id: 7\nevent: order\ndata: {"id":')).toEqual([]);
    const events = parser.push(" 1}\n\n: keep-alive\n\nevent: reset\ndata: {}\n\n");
    expect(events).toEqual([
      { event: "order", data: '{"id": 1}', id: "7" },
      { event: "reset", data: "{}", id: "7" },
    ]);
    expect(parser.lastEventId()).toBe("7");
  });

  it("joins data lines, accepts CRLF and CR, and defaults the type to message", () => {
    const parser = createSseParser();
    expect(parser.push("data: a\r\ndata:b\rdata\r\n\r\n")).toEqual([
      { event: "message", data: "a\nb\n", id: undefined },
    ]);
  });

  it("keeps the id and retry of blocks without data, and starts from a given id", () => {
    const parser = createSseParser("3");
    expect(parser.lastEventId()).toBe("3");
    expect(parser.push("retry: 1500\nid: 9\n\nretry: soon\n\n")).toEqual([]);
    expect(parser.retry()).toBe(1500);
    expect(parser.lastEventId()).toBe("9");
  });

  it("does not dispatch a block the stream cut before its blank line", () => {
    const parser = createSseParser();
    expect(parser.push("event: order\ndata: {}\n")).toEqual([]);
  });
});
