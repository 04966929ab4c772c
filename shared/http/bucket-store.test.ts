import { describe, expect, it } from "vitest";
import { createBucketStore } from "./bucket-store.ts";

describe("the throttle's bucket store", () => {
  it("counts per key within a window and opens a new window after it", () => {
    let t = 0;
    const store = createBucketStore({ windowMs: 1000, maxKeys: 10, now: () => t });
    expect(store.hit("a").count).toBe(1);
    expect(store.hit("a").count).toBe(2);
    expect(store.hit("b").count).toBe(1);
    t = 1000;
    expect(store.hit("a")).toEqual({ count: 1, resetAt: 2000 });
  });

  it("forgets expired windows as it goes, so it holds only the live ones", () => {
    let t = 0;
    const store = createBucketStore({ windowMs: 1000, maxKeys: 1_000_000, now: () => t });
    for (let i = 0; i < 5000; i++) store.hit(`old-${i}`);
    expect(store.size).toBe(5000);
    t = 1000;
    store.hit("new");
    expect(store.size).toBe(1);
  });

  it("holds at most maxKeys windows, dropping the oldest first", () => {
    let t = 0;
    const store = createBucketStore({ windowMs: 60_000, maxKeys: 100, now: () => t });
    for (let i = 0; i < 1000; i++) {
      t = i;
      store.hit(`k-${i}`);
    }
    expect(store.size).toBe(100);
    // The newest windows are the ones kept: k-999 counts on, k-0 starts afresh.
    expect(store.hit("k-999").count).toBe(2);
    expect(store.hit("k-0").count).toBe(1);
  });
});
