/** One client's count in the current window. */
export interface Bucket {
  count: number;
  resetAt: number;
}

export interface BucketStoreOptions {
  windowMs: number;
  /** The most clients remembered at once; past it the oldest window is forgotten first. */
  maxKeys: number;
  now: () => number;
}

export interface BucketStore {
  /** Counts one request of `key` and returns its bucket (a new window when the last one ended). */
  hit(key: string): Bucket;
  readonly size: number;
}

/**
 * Fixed-window counters, bounded and expired without a scan. Every window has the same length, so a Map
 * kept in the order windows opened (a reopened window moves to the end) is also ordered by expiry: each
 * hit drops the expired windows at its front and stops at the first live one, a cost paid once per
 * window opened. When `maxKeys` live windows are held the oldest is dropped, which gives that client a
 * fresh window early; the alternative, refusing new clients, would let one flood lock everybody out.
 */
export function createBucketStore(options: BucketStoreOptions): BucketStore {
  const buckets = new Map<string, Bucket>();
  return {
    hit(key) {
      const t = options.now();
      for (const [oldest, bucket] of buckets) {
        if (bucket.resetAt > t) break;
        buckets.delete(oldest);
      }
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= options.maxKeys) {
          const oldest = buckets.keys().next();
          if (!oldest.done) buckets.delete(oldest.value);
        }
        bucket = { count: 0, resetAt: t + options.windowMs };
        buckets.set(key, bucket);
      }
      bucket.count++;
      return bucket;
    },
    get size() {
      return buckets.size;
    },
  };
}
