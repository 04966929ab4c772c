import { describe, expect, it } from "vitest";
import { dueCount, scheduledAt } from "./lib/open-loop.ts";

describe("open-loop schedule", () => {
  it("spaces requests evenly at the rate, the first at time zero", () => {
    expect(scheduledAt(0, 1000)).toBe(0);
    expect(scheduledAt(1, 1000)).toBe(1);
    expect(scheduledAt(250, 500)).toBe(500);
  });

  it("counts as due every request whose scheduled time has come, whatever was answered", () => {
    expect(dueCount(0, 1000, 100)).toBe(1);
    expect(dueCount(0.999, 1000, 100)).toBe(1);
    expect(dueCount(1, 1000, 100)).toBe(2);
    expect(dueCount(9.5, 1000, 100)).toBe(10);
    // A driver that was held up for 40 ms owes every request scheduled meanwhile, at once.
    expect(dueCount(50, 1000, 100)).toBe(51);
  });

  it("never owes more than the total nor anything before the start", () => {
    expect(dueCount(10_000, 1000, 100)).toBe(100);
    expect(dueCount(-5, 1000, 100)).toBe(0);
  });

  it("agrees with scheduledAt: request i is due exactly from its scheduled time", () => {
    for (const rate of [1, 7, 1000, 3333]) {
      for (let i = 0; i < 50; i++) {
        const at = scheduledAt(i, rate);
        expect(dueCount(at, rate, 1_000_000)).toBeGreaterThan(i);
        if (at > 0) expect(dueCount(at - 1e-6, rate, 1_000_000)).toBeLessThanOrEqual(i);
      }
    }
  });
});
