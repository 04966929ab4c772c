import { type Kysely, sql } from "kysely";
import type { Database, FeedEntity } from "../db/types.ts";
import { comparePositions, laterOf, type Position } from "./position.ts";

/** One change as the feed holds it, with the visibility keys the row had. */
export interface FeedRow {
  position: Position;
  entityId: number;
  userId: number | null;
  crewId: number | null;
  previousCrewId: number | null;
  deleted: boolean;
}

export interface FeedRead {
  rows: FeedRow[];
  /** Where the next read starts: every change before it has been read (or was not this entity's). */
  next: Position;
}

// The safe horizon: the oldest transaction id still running when this statement's snapshot was taken.
// Every transaction older than it has ended, so no row with a smaller tx can appear any more; rows of
// newer transactions wait until their writers (and every older one) have ended. Taken in the same
// statement as the read, so the horizon and the rows come from one snapshot.
const HORIZON = sql<string>`pg_snapshot_xmin(pg_current_snapshot())::text`;

/**
 * Reads up to `limit` changes of one entity after `after`, in (tx, seq) order, up to the safe horizon,
 * in one statement. The rows of a transaction that commits after a younger one's are never skipped: they
 * are held back (by the horizon) rather than read past.
 */
export async function readFeed(
  db: Kysely<Database>,
  entity: FeedEntity,
  after: Position,
  limit: number,
): Promise<FeedRead> {
  const { rows } = await sql<{
    horizon: string;
    seq: string | null;
    tx: string | null;
    entity_id: number | null;
    user_id: number | null;
    crew_id: number | null;
    previous_crew_id: number | null;
    deleted: boolean | null;
  }>`
    select h.horizon, f.seq::text as seq, f.tx::text as tx, f.entity_id, f.user_id, f.crew_id,
           f.previous_crew_id, f.deleted
    from (select ${HORIZON} as horizon) h
    left join lateral (
      select * from change_feed
      where entity = ${entity}
        and (tx, seq) > (${after.tx.toString()}::bigint, ${after.seq.toString()}::bigint)
        and tx < h.horizon::bigint
      order by tx, seq
      limit ${limit}
    ) f on true
    order by f.tx, f.seq`.execute(db);
  const horizon = BigInt(rows[0]?.horizon ?? "0");
  const feedRows: FeedRow[] = rows
    .filter((r) => r.seq !== null)
    .map((r) => ({
      position: { tx: BigInt(r.tx!), seq: BigInt(r.seq!) },
      entityId: r.entity_id!,
      userId: r.user_id,
      crewId: r.crew_id,
      previousCrewId: r.previous_crew_id,
      deleted: r.deleted === true,
    }));
  // A full batch may stop short of the horizon; otherwise everything older than the horizon is read.
  const next =
    feedRows.length === limit ? feedRows.at(-1)!.position : laterOf(after, { tx: BigInt(horizon), seq: 0n });
  return { rows: feedRows, next };
}

/** Where a stream starts, and whether the client's cursor could not be honoured. */
export interface StreamStart {
  position: Position;
  /** The cursor was older than what the feed keeps, or not one this database wrote: reload, go on from now. */
  reset: boolean;
}

/**
 * The start of a stream: the client's cursor if the feed still holds everything after it, otherwise
 * "now" (the safe horizon) with `reset`. A cursor past the next transaction id to be issued belongs to
 * another database (restored, recreated) and is reset too, or the client would wait for ids that mean
 * other changes.
 */
export async function startPosition(
  db: Kysely<Database>,
  entity: FeedEntity,
  cursor: Position | undefined,
  cursorSent: boolean,
): Promise<StreamStart> {
  const row = await db
    .selectNoFrom([
      HORIZON.as("horizon"),
      sql<string>`pg_snapshot_xmax(pg_current_snapshot())::text`.as("issued"),
      sql<string | null>`(select tx::text from change_feed_pruned where entity = ${entity})`.as("pruned_tx"),
      sql<string | null>`(select seq::text from change_feed_pruned where entity = ${entity})`.as(
        "pruned_seq",
      ),
    ])
    .executeTakeFirstOrThrow();
  const now: Position = { tx: BigInt(row.horizon), seq: 0n };
  if (cursor === undefined) return { position: now, reset: cursorSent };
  const pruned: Position | undefined =
    row.pruned_tx === null ? undefined : { tx: BigInt(row.pruned_tx), seq: BigInt(row.pruned_seq ?? "0") };
  const lost = pruned !== undefined && comparePositions(cursor, pruned) < 0;
  // `issued` is the next transaction id; a cursor of "now" may name it (nothing was written since).
  const foreign = cursor.tx > BigInt(row.issued);
  return lost || foreign ? { position: now, reset: true } : { position: cursor, reset: false };
}

/**
 * Deletes one entity's changes older than `cutoff` and records the newest position deleted, so a
 * cursor behind it is answered with a reset. One statement; returns how many rows went.
 */
export async function pruneFeed(db: Kysely<Database>, entity: FeedEntity, cutoff: Date): Promise<number> {
  const { rows } = await sql<{ count: number }>`
    with gone as (
      delete from change_feed where entity = ${entity} and created_at < ${cutoff} returning tx, seq
    ), newest as (
      select tx, seq from gone order by tx desc, seq desc limit 1
    ), mark as (
      insert into change_feed_pruned (entity, tx, seq) select ${entity}, tx, seq from newest
      on conflict (entity) do update set tx = excluded.tx, seq = excluded.seq
      where (change_feed_pruned.tx, change_feed_pruned.seq) < (excluded.tx, excluded.seq)
    )
    select count(*)::int as count from gone`.execute(db);
  return rows[0]?.count ?? 0;
}
