import type { BaseConfig } from "../config/schema.ts";

/** How a function's live streams behave; from the config (LIVE_*), or the defaults below. */
export interface LiveSettings {
  maxStreamMs: number;
  keepAliveMs: number;
  pollMs: number;
  /** The reconnection delay a stream tells the client (`retry:`), in milliseconds. */
  retryMs: number;
  /** Frames a stream may hold for a client that does not read; past it the stream ends (it reconnects). */
  maxQueuedFrames: number;
  /** Feed rows read per poll. */
  batchSize: number;
}

const RETRY_MS = 2000;
const MAX_QUEUED_FRAMES = 1000;
const BATCH_SIZE = 500;

export function liveSettings(
  config: Pick<BaseConfig, "LIVE_STREAM_MAX_SECONDS" | "LIVE_KEEPALIVE_SECONDS" | "LIVE_POLL_MS">,
): LiveSettings {
  return {
    maxStreamMs: config.LIVE_STREAM_MAX_SECONDS * 1000,
    keepAliveMs: config.LIVE_KEEPALIVE_SECONDS * 1000,
    pollMs: config.LIVE_POLL_MS,
    retryMs: RETRY_MS,
    maxQueuedFrames: MAX_QUEUED_FRAMES,
    batchSize: BATCH_SIZE,
  };
}

/** The schema's defaults, for an app built without a config (tests). */
export const DEFAULT_LIVE_SETTINGS: LiveSettings = liveSettings({
  LIVE_STREAM_MAX_SECONDS: 240,
  LIVE_KEEPALIVE_SECONDS: 15,
  LIVE_POLL_MS: 1000,
});

/**
 * How long the change feed keeps a change: a client away for longer gets `event: reset` and reloads.
 * A constant like the idempotency keys' 24 hours; each function prunes its entity's rows on its
 * PingSource tick.
 */
export const FEED_RETENTION_HOURS = 24;

/** The oldest change a prune at `now` keeps. */
export function feedCutoff(now: Date): Date {
  return new Date(now.getTime() - FEED_RETENTION_HOURS * 3_600_000);
}
