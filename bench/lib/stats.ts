// Pure numeric helpers for the benchmark harness: percentiles, medians and spreads of repeated runs.

/**
 * The p-th percentile (0–100) of `values` by the nearest-rank method on a sorted copy: the smallest
 * value with at least p% of the values at or below it. NaN for an empty list.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} is outside 0–100`);
  const sorted = Float64Array.from(values).sort();
  return percentileOfSorted(sorted, p);
}

/** The same as `percentile` for values already sorted ascending (no copy, for big latency arrays). */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** The median: the middle value, or the mean of the two middle values of an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** How repeated runs of one figure vary: their median, extremes, and (max−min)/median. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** (max − min) / median: 0.1 means the runs lie within 10% of the median's size. */
  relative: number;
  runs: number[];
}

export function spread(runs: readonly number[]): Spread {
  const m = median(runs);
  const min = Math.min(...runs);
  const max = Math.max(...runs);
  return { median: m, min, max, relative: m === 0 ? 0 : (max - min) / m, runs: [...runs] };
}

/**
 * The median of the per-pair ratios a[i]/b[i]: each pair was measured back to back, so a slow spell
 * of the shared machine touches both sides of a pair rather than one side of the comparison.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): Spread {
  if (a.length !== b.length) throw new Error("pairedRatio needs as many runs on both sides");
  return spread(a.map((value, i) => value / b[i]!));
}

/** Latency percentiles of one run, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarizeLatencies(latencies: readonly number[] | Float64Array): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  return {
    count: sorted.length,
    p50: percentileOfSorted(sorted, 50),
    p90: percentileOfSorted(sorted, 90),
    p99: percentileOfSorted(sorted, 99),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
  };
}
