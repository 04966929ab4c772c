// Reconciliation (each consumer's repair of what lost events left behind, on a PingSource tick) compares
// only recently changed rows: the same window in every function, so one type and one set of defaults.

/** How far back a reconciliation looks, and how much it repairs in one tick. */
export interface ReconcileOptions {
  /** Only rows changed within this window are compared (default 24 h; an index on the change time keeps it cheap). */
  windowMs?: number;
  /** Rows changed more recently than this are left to their events, still on their way (default 30 s). */
  graceMs?: number;
  /** At most this many rows per tick; the rest wait for the next (default 500). */
  limit?: number;
}

/** The rows one tick compares: changed at or after `since` and before `until`, at most `limit` of them. */
export interface ReconcileWindow {
  since: Date;
  until: Date;
  limit: number;
}

const DEFAULTS = { windowMs: 24 * 3_600_000, graceMs: 30_000, limit: 500 };

export function reconcileWindow(options: ReconcileOptions = {}, now = new Date()): ReconcileWindow {
  const { windowMs, graceMs, limit } = { ...DEFAULTS, ...options };
  return { since: new Date(now.getTime() - windowMs), until: new Date(now.getTime() - graceMs), limit };
}
