import { type Expression, type RawBuilder, type SqlBool, sql } from "kysely";
import { badCursor, type Cursor, type PageRequest, type PageSlice } from "./page.ts";

// Keyset pagination: a page is "the first N rows after (or before) this sort key", which an index in the
// sort's order answers by seeking to the key and reading N rows, at any depth. Every list sorts on a
// key that ends in a unique column, so the key of a row names one position.

/** One part of a list's sort key: a column or expression (code-defined, never client text). */
export interface SortPart {
  expr: RawBuilder<unknown>;
  direction: "asc" | "desc";
}

/** The sort key's parts as one json array of texts, selected with each row as `_key`. */
export function sortKeyColumn(parts: readonly SortPart[]): RawBuilder<string[]> {
  return sql<string[]>`json_build_array(${sql.join(parts.map((p) => sql`(${p.expr})::text`))})`;
}

/** Whether the rows are read against the displayed order (to find the page before a cursor). */
export function readsBackwards(request: PageRequest): boolean {
  return request.cursor?.direction === "previous";
}

/** The parts in the order the query reads: reversed when reading backwards. */
export function readOrder(parts: readonly SortPart[], request: PageRequest): SortPart[] {
  if (!readsBackwards(request)) return [...parts];
  return parts.map((p) => ({ expr: p.expr, direction: p.direction === "asc" ? "desc" : "asc" }));
}

/**
 * The condition "after the cursor's row in the read order". When every part has one direction it is a
 * row comparison, which an index on the parts answers with one seek; mixed directions expand to ORs.
 * `value` binds each key part (a shaped query passes its stand-ins here).
 */
export function afterCursor(
  parts: readonly SortPart[],
  cursor: Cursor,
  request: PageRequest,
  value: (index: number) => unknown = (i) => cursor.key[i],
): Expression<SqlBool> {
  if (cursor.key.length !== parts.length) throw badCursor();
  const order = readOrder(parts, request);
  const values = order.map((_, i) => sql`${value(i)}`);
  const op = (direction: SortPart["direction"]) => sql.raw(direction === "asc" ? ">" : "<");
  if (order.every((p) => p.direction === order[0]!.direction)) {
    return sql<SqlBool>`(${sql.join(order.map((p) => p.expr))}) ${op(order[0]!.direction)} (${sql.join(values)})`;
  }
  const branches = order.map((part, i) => {
    const equal = order.slice(0, i).map((p, j) => sql`(${p.expr}) = ${values[j]}`);
    return sql`(${sql.join([...equal, sql`(${part.expr}) ${op(part.direction)} ${values[i]}`], sql` and `)})`;
  });
  return sql<SqlBool>`(${sql.join(branches, sql` or `)})`;
}

/**
 * Turns the rows a keyset query read (at most perpage + 1, in read order, each with `_key`) into the page
 * in display order and the keys its next and previous links continue from.
 */
export function toSlice<R extends { _key: string[] }>(rows: R[], request: PageRequest): PageSlice<R> {
  const more = rows.length > request.perpage;
  const page = rows.slice(0, request.perpage);
  if (readsBackwards(request)) page.reverse();
  const first = page[0]?._key ?? null;
  const last = page.at(-1)?._key ?? null;
  if (readsBackwards(request)) {
    // Read backwards from a cursor: the cursor's row itself follows this page.
    return { results: page, nextKey: last ?? request.cursor!.key, previousKey: more ? first : null };
  }
  const cameFromSomewhere = request.cursor !== undefined || request.offset > 0;
  return {
    results: page,
    nextKey: more ? last : null,
    previousKey: cameFromSomewhere ? (first ?? request.cursor?.key ?? null) : null,
  };
}
