import type { Context } from "hono";
import type { Kysely } from "kysely";
import type { Database, FeedEntity } from "../db/types.ts";
import type { AppEnv } from "../http/env.ts";
import { type FeedRow, startPosition } from "./feed.ts";
import type { FeedBatch, FeedPoller } from "./poller.ts";
import { formatCursor, parseCursor } from "./position.ts";
import type { LiveSettings } from "./settings.ts";
import { type SseFrame, sseBody } from "./sse.ts";
import { tokenExpiry } from "./token-expiry.ts";

/** What one caller may see of a batch. */
export interface Visibility<View> {
  /** The row as it is now may be shown to the caller. */
  canSee(view: View): boolean;
  /** A change concerned the caller (the row was theirs then): if it is gone or no longer theirs, say so. */
  wasConcerned(row: FeedRow): boolean;
}

/**
 * The frames one caller gets from a batch: per changed row, one frame at its last change in the batch
 * (the current view, `<event>`), or `<event>-deleted` with `{"id"}` when the row is gone or left the
 * caller's sight. Rows that never concerned the caller give nothing.
 */
export function framesFor<View>(
  batch: FeedBatch<View>,
  visibility: Visibility<View>,
  event: string,
): SseFrame[] {
  const last = new Map<number, FeedRow>();
  const concerned = new Set<number>();
  for (const row of batch.rows) {
    last.delete(row.entityId); // re-inserted, so the map iterates in order of each row's last change
    last.set(row.entityId, row);
    if (visibility.wasConcerned(row)) concerned.add(row.entityId);
  }
  const frames: SseFrame[] = [];
  for (const [id, row] of last) {
    const view = batch.views.get(id);
    const cursor = formatCursor(row.position);
    if (view !== undefined && visibility.canSee(view)) {
      frames.push({ id: cursor, event, data: JSON.stringify(view) });
    } else if (concerned.has(id)) {
      frames.push({ id: cursor, event: `${event}-deleted`, data: JSON.stringify({ id }) });
    }
  }
  return frames;
}

export interface LiveStreamOptions<View> {
  db: Kysely<Database>;
  entity: FeedEntity;
  poller: FeedPoller<View>;
  settings: LiveSettings;
  /** The runtime's stop signal: the stream ends when it aborts (the client resumes on another pod). */
  stopping?: AbortSignal | undefined;
  /** This caller's frames of a batch (framesFor with the caller's visibility, and any narrowing). */
  select(batch: FeedBatch<View>): SseFrame[];
}

/**
 * Answers a stream request: `retry:` and `id:` (the starting cursor) first, `event: reset` when the
 * Last-Event-ID cannot be honoured, then every change after the cursor (or after now) that `select`
 * lets through, a keep-alive comment now and then, and the end after `settings.maxStreamMs`, when the
 * caller's access token expires (a refreshed one is needed to go on) or when `stopping` aborts, so the
 * client reconnects where it left off. The opening `id:` dispatches no event but sets the client's
 * last event id: a stream that ends before any change still tells the client where to resume, so a
 * change made between two connections is not lost. The stream's timers, its subscription and its stop
 * listener go when it ends, whoever ends it.
 */
export async function openLiveStream<View>(
  c: Context<AppEnv>,
  options: LiveStreamOptions<View>,
): Promise<Response> {
  const { settings } = options;
  const sent = c.req.header("last-event-id");
  const cursor = parseCursor(sent);
  const start = await startPosition(options.db, options.entity, cursor, sent !== undefined && sent !== "");

  let unsubscribe = () => {};
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  let end: ReturnType<typeof setTimeout> | undefined;
  const stop = () => channel.close();
  const { body, channel } = sseBody({
    maxQueued: settings.maxQueuedFrames,
    onClose: () => {
      clearInterval(keepAlive);
      clearTimeout(end);
      options.stopping?.removeEventListener("abort", stop);
      unsubscribe();
    },
  });
  const opening = formatCursor(start.position);
  channel.send({ retry: settings.retryMs, id: opening });
  if (start.reset) channel.send({ id: opening, event: "reset", data: "{}" });
  if (options.stopping?.aborted) {
    channel.close();
    return streamResponse(c, body);
  }
  options.stopping?.addEventListener("abort", stop, { once: true });
  unsubscribe = options.poller.subscribe({
    position: start.position,
    deliver(batch) {
      for (const frame of options.select(batch)) if (!channel.send(frame)) return;
    },
  });
  keepAlive = setInterval(() => channel.send({ comment: "keep-alive" }), settings.keepAliveMs);
  const expiry = tokenExpiry(c.req.header("authorization"));
  const lifetime = Math.min(settings.maxStreamMs, expiry === undefined ? Infinity : expiry - Date.now());
  end = setTimeout(() => channel.close(), Math.max(0, lifetime));
  return streamResponse(c, body);
}

function streamResponse(c: Context<AppEnv>, body: ReadableStream<Uint8Array>): Response {
  return c.body(body, 200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache, no-transform",
    // nginx (the cluster's gateway) passes the stream through unbuffered when the upstream says so.
    "x-accel-buffering": "no",
  });
}
