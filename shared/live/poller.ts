import type { Kysely } from "kysely";
import type { Database, FeedEntity } from "../db/types.ts";
import type { Logger } from "../log.ts";
import { type FeedRow, readFeed } from "./feed.ts";
import { comparePositions, earliestOf, laterOf, type Position } from "./position.ts";

/** A batch of changes and the current views of the rows they touched (absent: the row is gone). */
export interface FeedBatch<View> {
  rows: readonly FeedRow[];
  views: ReadonlyMap<number, View>;
}

/** One open stream as the poller sees it: where it is, and what to do with changes after that. */
export interface FeedSubscriber<View> {
  /** Changes after this position are the subscriber's; the poller moves it forward after each batch. */
  position: Position;
  /** Receives the changes after `position` (every row, unfiltered; the stream filters by caller). */
  deliver(batch: FeedBatch<View>): void;
}

export interface FeedPollerOptions<View> {
  db: Kysely<Database>;
  entity: FeedEntity;
  /** The views of the given ids that still exist, read in one go per batch. */
  loadViews: (db: Kysely<Database>, ids: readonly number[]) => Promise<Map<number, View>>;
  logger: Logger;
  intervalMs: number;
  batchSize: number;
  /** When it aborts (the process stops), the poller drops its subscribers and schedules no more polls. */
  stopping?: AbortSignal | undefined;
}

export interface FeedPoller<View> {
  /** Starts polling with the first subscriber; the returned function unsubscribes (the last one stops it). */
  subscribe(subscriber: FeedSubscriber<View>): () => void;
  /** For tests and the bench: open subscribers, whether a poll is scheduled or running, polls so far. */
  state(): { subscribers: number; active: boolean; polls: number };
  /** Resolves when the poll running now (if any) has finished. */
  settled(): Promise<void>;
}

/**
 * One poller per app (per pod), shared by all of its open streams: it reads the feed from the earliest
 * subscriber's position while at least one stream is open, every `intervalMs` (at once again after a
 * full batch), loads the changed rows' views once per batch, and hands each subscriber the changes
 * after its own position. With nobody subscribed it holds no timer, so an idle pod does nothing; once
 * `stopping` aborts, it polls no more (a poll under way finishes and delivers to nobody).
 */
export function createFeedPoller<View>(options: FeedPollerOptions<View>): FeedPoller<View> {
  const subscribers = new Set<FeedSubscriber<View>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let polling: Promise<void> | undefined;
  let polls = 0;

  const stopped = () => options.stopping?.aborted === true;
  options.stopping?.addEventListener(
    "abort",
    () => {
      subscribers.clear();
      clearTimeout(timer);
      timer = undefined;
    },
    { once: true },
  );

  function schedule(delayMs: number) {
    if (timer !== undefined || polling !== undefined || subscribers.size === 0 || stopped()) return;
    timer = setTimeout(run, delayMs);
  }

  function run() {
    timer = undefined;
    polling = (async () => {
      let full = false;
      try {
        full = await poll();
      } catch (error) {
        // The database may be away for a moment; streams stay open and the next poll tries again.
        options.logger.warn("change feed poll failed", { error: String(error) });
      } finally {
        polling = undefined;
        schedule(full ? 0 : options.intervalMs);
      }
    })();
  }

  async function poll(): Promise<boolean> {
    // Those subscribed now; one that joins while this poll runs waits for the next, which reads from its position.
    const targets = [...subscribers];
    const from = earliestOf(targets.map((s) => s.position));
    if (!from) return false;
    polls++;
    const read = await readFeed(options.db, options.entity, from, options.batchSize);
    let views: Map<number, View> = new Map();
    if (read.rows.length > 0) {
      const ids = [...new Set(read.rows.map((r) => r.entityId))];
      views = await options.loadViews(options.db, ids);
    }
    for (const subscriber of targets) {
      if (!subscribers.has(subscriber)) continue;
      const start = subscriber.position;
      const rows = read.rows.filter((r) => comparePositions(r.position, start) > 0);
      subscriber.position = laterOf(start, read.next);
      if (rows.length > 0) subscriber.deliver({ rows, views });
    }
    return read.rows.length === options.batchSize;
  }

  return {
    subscribe(subscriber) {
      if (stopped()) return () => {};
      subscribers.add(subscriber);
      schedule(0);
      return () => {
        subscribers.delete(subscriber);
        if (subscribers.size === 0 && timer !== undefined) {
          clearTimeout(timer);
          timer = undefined;
        }
      };
    },
    state: () => ({
      subscribers: subscribers.size,
      active: timer !== undefined || polling !== undefined,
      polls,
    }),
    settled: async () => {
      await polling;
    },
  };
}
