/**
 * A place in the change feed: the writing transaction's id and the row's sequence number. The feed is
 * read in (tx, seq) order; `seq` 0 stands before every row of its transaction, so `{tx: h, seq: 0}` is
 * "everything written by transactions older than h". A stream hands positions to clients as the SSE
 * event id (the cursor), written `<tx>-<seq>`.
 */
export interface Position {
  tx: bigint;
  seq: bigint;
}

const CURSOR = /^(\d{1,19})-(\d{1,19})$/;

export function formatCursor(position: Position): string {
  return `${position.tx}-${position.seq}`;
}

/** The position a `Last-Event-ID` names; undefined for anything that is not a cursor this feed wrote. */
export function parseCursor(raw: string | undefined): Position | undefined {
  const match = raw === undefined ? null : CURSOR.exec(raw.trim());
  if (!match) return undefined;
  return { tx: BigInt(match[1]!), seq: BigInt(match[2]!) };
}

export function comparePositions(a: Position, b: Position): number {
  if (a.tx !== b.tx) return a.tx < b.tx ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

export function laterOf(a: Position, b: Position): Position {
  return comparePositions(a, b) >= 0 ? a : b;
}

export function earliestOf(positions: Iterable<Position>): Position | undefined {
  let earliest: Position | undefined;
  for (const p of positions) if (!earliest || comparePositions(p, earliest) < 0) earliest = p;
  return earliest;
}
