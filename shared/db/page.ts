import { AppError } from "../errors.ts";

// A page of rows as queries read it: what the list routes ask for (read from the query string by
// shared/http/pagination.ts) and what the keyset queries answer. Plain data, so repositories take and
// give it without knowing about HTTP.

/** Where a cursor continues: after the row whose sort key it holds, or before it. */
export interface Cursor {
  direction: "next" | "previous";
  /** The sort key of the row the page continues from, each part as PostgreSQL's text of it. */
  key: string[];
}

export interface PageRequest {
  /** The page number `?page=` asked for (1 when a cursor is given). */
  page: number;
  perpage: number;
  /** Rows to skip before the page: `(page - 1) * perpage`, at most MAX_PAGE_OFFSET; 0 with a cursor. */
  offset: number;
  cursor: Cursor | undefined;
}

/** How many rows match: exact up to a cap (see shared/db/count.ts), the planner's estimate past it. */
export interface PageCount {
  count: number;
  exact: boolean;
}

/** One page of rows as the keyset query found them, with the sort keys to continue from, if any. */
export interface PageSlice<T> {
  results: T[];
  nextKey: string[] | null;
  previousKey: string[] | null;
}

/** A column to sort by and its direction (read from `?ordering=` by shared/http/ordering.ts). */
export interface OrderTerm<C extends string> {
  column: C;
  direction: "asc" | "desc";
}

/** A cursor that does not fit the collection or its ordering (its key has another length). */
export function badCursor(): AppError {
  return new AppError("validation", "The cursor is not one this collection gave out with this ordering.", {
    errors: [{ path: "cursor", message: "is not a cursor of this list; follow next/previous as given" }],
  });
}
