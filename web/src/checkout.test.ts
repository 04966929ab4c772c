import { describe, expect, it } from "vitest";
import { createCheckoutAttempts, settles } from "./checkout.ts";

describe("checkout attempts", () => {
  const keys = () => {
    let n = 0;
    return () => `key-${++n}`;
  };

  it("keeps the key of an attempt whose outcome is unknown, for its retry", () => {
    const attempts = createCheckoutAttempts(keys());
    expect(attempts.key()).toBe("key-1");
    attempts.finish(false);
    expect(attempts.pending()).toBe(true);
    expect(attempts.key()).toBe("key-1");
  });

  it("makes a new key after a settled attempt or a change to the cart", () => {
    const attempts = createCheckoutAttempts(keys());
    attempts.key();
    attempts.finish(true);
    expect(attempts.pending()).toBe(false);
    expect(attempts.key()).toBe("key-2");
    attempts.finish(false);
    attempts.reset();
    expect(attempts.key()).toBe("key-3");
  });

  it("settles on success and on 4xx, not on a network failure, 5xx or 429", () => {
    expect([201, 400, 422].map(settles)).toEqual([true, true, true]);
    expect([undefined, 500, 503, 429, 408].map(settles)).toEqual([false, false, false, false, false]);
  });
});
