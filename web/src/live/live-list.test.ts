import { describe, expect, it } from "vitest";
import { type LiveMode, startLiveList } from "./live-list.ts";

// startLiveList against a scripted fetch: what it requests, and the list it shows after each answer.

interface Item {
  id: number;
  status: string;
}

const sse = (text: string) => new Response(text, { headers: { "content-type": "text/event-stream" } });

function harness(answers: ((headers: Headers) => Response)[], load: () => Item[]) {
  const requests: Headers[] = [];
  const seen: { items: Item[]; mode: LiveMode }[] = [];
  const errors: unknown[] = [];
  let loads = 0;
  let wake: () => void = () => {};
  const idle = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const fetch = (async (_url: string, init: RequestInit) => {
    const headers = new Headers(init.headers);
    requests.push(headers);
    const answer = answers.shift();
    if (!answer) {
      wake();
      return new Promise<Response>(() => {}); // the last stream stays open
    }
    return answer(headers);
  }) as typeof globalThis.fetch;
  const stop = startLiveList<Item>({
    load: async () => {
      loads += 1;
      return load();
    },
    streamUrl: "http://api.test/api/orders/stream",
    eventName: "order",
    key: (item) => item.id,
    sort: (a, b) => b.id - a.id,
    headers: async () => ({ authorization: "Bearer t" }),
    fetch,
    onChange: (items, mode) => seen.push({ items, mode }),
    onError: (error) => errors.push(error),
    pollMs: 1,
    sleep: async () => {},
  });
  return { requests, seen, errors, idle, stop, loads: () => loads };
}

describe("a live list", () => {
  it("loads once the stream is open, applies changes and deletions, and resumes with Last-Event-ID", async () => {
    const h = harness(
      [
        () => sse('id: 1\nevent: order\ndata: {"id":2,"status":"placed"}\n\n'),
        () =>
          sse(
            'id: 2\nevent: order-deleted\ndata: {"id":1}\n\nid: 3\nevent: order\ndata: {"id":2,"status":"assigned"}\n\n',
          ),
      ],
      () => [{ id: 1, status: "placed" }],
    );
    await h.idle;
    h.stop();
    expect(h.errors).toEqual([]);
    expect(h.requests.map((r) => r.get("last-event-id"))).toEqual([null, "1", "3"]);
    expect(h.requests[0]!.get("authorization")).toBe("Bearer t");
    expect(h.loads()).toBe(1);
    expect(h.seen.at(-1)!.items).toEqual([{ id: 2, status: "assigned" }]);
  });

  it("reloads the list on reset", async () => {
    let version = "placed";
    const h = harness([() => sse("id: 1\nevent: reset\ndata: {}\n\n")], () => [{ id: 1, status: version }]);
    version = "delivered";
    await h.idle;
    h.stop();
    expect(h.loads()).toBe(2);
    expect(h.seen.at(-1)!.items).toEqual([{ id: 1, status: "delivered" }]);
  });

  it("polls the list GET when the API has no stream", async () => {
    let polls = 0;
    const h = harness([() => new Response("{}", { status: 404 })], () => {
      polls += 1;
      if (polls === 3) h.stop();
      return [{ id: polls, status: "placed" }];
    });
    await expect.poll(() => h.seen.length).toBeGreaterThanOrEqual(2);
    expect(h.seen.every((s) => s.mode === "polling")).toBe(true);
    expect(h.requests).toHaveLength(1);
  });
});

describe("a live list whose stream ended before naming a position", () => {
  it("loads the list again when the next stream opens, since that one starts at now", async () => {
    const h = harness(
      [
        () => sse("retry: 10\n\n: keep-alive\n\n"),
        () => sse('id: 4\nevent: order\ndata: {"id":1,"status":"assigned"}\n\n'),
      ],
      () => [{ id: 1, status: "placed" }],
    );
    await h.idle;
    h.stop();
    expect(h.requests.map((r) => r.get("last-event-id"))).toEqual([null, null, "4"]);
    expect(h.loads()).toBe(2);
  });
});

describe("a live list whose stream ended after naming only its starting cursor", () => {
  it("resumes from that cursor and keeps its list: the server replays what came between", async () => {
    const h = harness(
      [
        () => sse("retry: 10\nid: 7\n\n: keep-alive\n\n"),
        () => sse('id: 8\nevent: order\ndata: {"id":1,"status":"assigned"}\n\n'),
      ],
      () => [{ id: 1, status: "placed" }],
    );
    await h.idle;
    h.stop();
    expect(h.errors).toEqual([]);
    expect(h.requests.map((r) => r.get("last-event-id"))).toEqual([null, "7", "8"]);
    expect(h.loads()).toBe(1);
    expect(h.seen.at(-1)!.items).toEqual([{ id: 1, status: "assigned" }]);
  });
});
