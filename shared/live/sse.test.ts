import { describe, expect, it } from "vitest";
import { formatFrame, sseBody } from "./sse.ts";

describe("SSE frames", () => {
  it("writes each field on its own line, data line by line, and a blank line after", () => {
    expect(formatFrame({ retry: 2000 })).toBe("retry: 2000\n\n");
    expect(formatFrame({ comment: "keep-alive" })).toBe(": keep-alive\n\n");
    expect(formatFrame({ id: "5-2", event: "order", data: '{"a":1}\n{"b":2}' })).toBe(
      'id: 5-2\nevent: order\ndata: {"a":1}\ndata: {"b":2}\n\n',
    );
    expect(() => formatFrame({ event: "order\nevent: reset" })).toThrow();
  });

  it("cuts off a client that stops reading, once, instead of queueing without bound", async () => {
    let closes = 0;
    const { body, channel } = sseBody({ maxQueued: 3, onClose: () => closes++ });
    const sent = Array.from({ length: 10 }, (_, i) => channel.send({ data: String(i) }));
    expect(sent.filter(Boolean).length).toBeLessThan(10);
    expect(sent.indexOf(false)).toBeGreaterThan(0);
    expect(channel.closed).toBe(true);
    expect(closes).toBe(1);
    // What was queued before the cut still reaches the client, then the body ends.
    const text = await new Response(body).text();
    expect(text.startsWith("data: 0\n\n")).toBe(true);
    expect(channel.send({ data: "late" })).toBe(false);
    expect(closes).toBe(1);
  });

  it("runs onClose once when the client goes away", async () => {
    let closes = 0;
    const { body, channel } = sseBody({ maxQueued: 100, onClose: () => closes++ });
    channel.send({ data: "x" });
    await body.cancel();
    channel.close();
    expect(closes).toBe(1);
    expect(channel.send({ data: "y" })).toBe(false);
  });
});
