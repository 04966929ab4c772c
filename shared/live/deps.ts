import type { Kysely } from "kysely";
import type { VerifyAccessToken } from "../auth/verifier.ts";
import type { Database, FeedEntity } from "../db/types.ts";
import type { Logger } from "../log.ts";
import { createFeedPoller, type FeedPoller, type FeedPollerOptions } from "./poller.ts";
import { DEFAULT_LIVE_SETTINGS, type LiveSettings } from "./settings.ts";

/** What a function's live stream routes take from its app deps. */
export interface LiveDeps<View> {
  db: Kysely<Database>;
  logger: Logger;
  verify: VerifyAccessToken;
  live?: LiveSettings | undefined;
  /** The app's feed poller; made for the app when not given (a test passes its own to watch it). */
  feedPoller?: FeedPoller<View> | undefined;
  /** The runtime's stop signal: open streams end and the poller stops when it aborts. */
  stopping?: AbortSignal | undefined;
}

/** The poller an app's streams of one entity share: it reads that entity's changes and loads their views. */
export function createEntityPoller<View>(
  deps: LiveDeps<View>,
  entity: FeedEntity,
  loadViews: FeedPollerOptions<View>["loadViews"],
): FeedPoller<View> {
  const settings = deps.live ?? DEFAULT_LIVE_SETTINGS;
  return createFeedPoller({
    db: deps.db,
    entity,
    loadViews,
    logger: deps.logger,
    intervalMs: settings.pollMs,
    batchSize: settings.batchSize,
    stopping: deps.stopping,
  });
}
