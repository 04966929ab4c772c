import type { Kysely } from "kysely";
import type { Database } from "../../shared/db/types.ts";
import { pruneFeed } from "../../shared/live/feed.ts";
import { feedCutoff } from "../../shared/live/settings.ts";

/** On the PingSource tick: the order changes older than the feed's retention go (docs/live-updates.md). */
export async function pruneOrderFeed(db: Kysely<Database>, now: Date): Promise<{ change_feed: number }> {
  return { change_feed: await pruneFeed(db, "order", feedCutoff(now)) };
}
