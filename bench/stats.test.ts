import { describe, expect, it } from "vitest";
import { median, pairedRatio, percentile, spread, summarizeLatencies } from "./lib/stats.ts";

describe("percentile (nearest rank)", () => {
  it("answers the smallest value with at least p% at or below it", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
  });

  it("takes the top value for p99 of a short list rather than interpolating", () => {
    expect(percentile([3, 1, 2], 99)).toBe(3);
    expect(percentile([5], 50)).toBe(5);
  });

  it("is NaN for no values and refuses a p outside 0–100", () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe("median and spread", () => {
  it("takes the middle of an odd count and the mean of the middle two of an even one", () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("reports extremes and the range relative to the median", () => {
    const s = spread([90, 100, 110]);
    expect(s).toMatchObject({ median: 100, min: 90, max: 110 });
    expect(s.relative).toBeCloseTo(0.2);
  });

  it("takes the median of per-pair ratios, not the ratio of medians", () => {
    // Pair by pair the first side is always half the second, though the machine slowed down midway.
    const r = pairedRatio([50, 100, 25], [100, 200, 50]);
    expect(r.median).toBe(0.5);
    expect(r.relative).toBe(0);
    expect(() => pairedRatio([1], [1, 2])).toThrow();
  });
});

describe("summarizeLatencies", () => {
  it("reports count, p50, p90, p99 and max", () => {
    const latencies = Array.from({ length: 1000 }, (_, i) => (i + 1) / 10); // 0.1 .. 100 ms
    expect(summarizeLatencies(latencies)).toEqual({ count: 1000, p50: 50, p90: 90, p99: 99, max: 100 });
  });
});
