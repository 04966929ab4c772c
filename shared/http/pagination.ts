import { z } from "zod";
import { badCursor, type Cursor, type PageCount, type PageRequest, type PageSlice } from "../db/page.ts";
import { AppError } from "../errors.ts";
import { integer } from "./fields.ts";
import { validate } from "./validate.ts";

export { badCursor, type Cursor, type PageCount, type PageRequest, type PageSlice };

export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 20;
/**
 * How deep `?page=` reaches: rows skipped by OFFSET cost a read each, so a page starting past this many
 * rows is refused with a pointer to the cursor links, which cost the same at any depth.
 */
export const MAX_PAGE_OFFSET = 10_000;

/** A page of a collection as every list route answers it: the one definition of its fields. */
export interface Page<T> {
  count: number;
  /** False when `count` is the planner's estimate (more rows match than the exact cap). */
  count_exact: boolean;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** The query parameters of every paginated list; list routes extend it with their own filters. */
export const pageQuery = z.object({
  page: integer(1, 1_000_000).optional(),
  perpage: integer(1, Number.MAX_SAFE_INTEGER).optional(),
  page_size: integer(1, Number.MAX_SAFE_INTEGER).optional(),
  cursor: z.string().max(2000).optional(),
});

/** The shape of a page of `item`s, as the document shows it: the one place the page's fields are listed. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    count: z.number().int(),
    count_exact: z.boolean(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(item),
  });
}

const cursorBody = z.object({
  d: z.enum(["n", "p"]),
  k: z.array(z.string().max(200)).min(1).max(8),
});

/**
 * Reads `?page=&perpage=` or `?cursor=&perpage=` (perpage clamped to 100; `page_size` is accepted as DRF
 * clients send it). A cursor wins over a page number; a page starting past MAX_PAGE_OFFSET rows is a 400.
 */
export function parsePage(query: Record<string, string>): PageRequest {
  const q = validate(pageQuery, {
    page: query.page,
    perpage: query.perpage,
    page_size: query.page_size,
    cursor: query.cursor,
  });
  const perpage = Math.min(q.perpage ?? q.page_size ?? DEFAULT_PER_PAGE, MAX_PER_PAGE);
  if (q.cursor !== undefined) return { page: 1, perpage, offset: 0, cursor: decodeCursor(q.cursor) };
  const page = q.page ?? 1;
  const offset = (page - 1) * perpage;
  if (offset > MAX_PAGE_OFFSET) {
    throw new AppError(
      "validation",
      `?page= reaches the first ${MAX_PAGE_OFFSET} rows; follow the next link's cursor to go deeper.`,
      { errors: [{ path: "page", message: `must start within the first ${MAX_PAGE_OFFSET} rows` }] },
    );
  }
  return { page, perpage, offset, cursor: undefined };
}

/** The opaque text of a cursor: base64url of a small JSON document. */
export function encodeCursor(cursor: Cursor): string {
  const body = { d: cursor.direction === "next" ? "n" : "p", k: cursor.key };
  return Buffer.from(JSON.stringify(body)).toString("base64url");
}

function decodeCursor(text: string): Cursor {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    body = undefined;
  }
  const parsed = cursorBody.safeParse(body);
  if (!parsed.success) throw badCursor();
  return { direction: parsed.data.d === "n" ? "next" : "previous", key: parsed.data.k };
}

/**
 * Wraps one page with the count and relative links to the neighbouring pages. The links carry a cursor
 * (and `perpage`), keeping every other query parameter of the request as it was.
 */
export function toPage<T>(url: string, request: PageRequest, count: PageCount, slice: PageSlice<T>): Page<T> {
  const link = (key: string[] | null, direction: Cursor["direction"]) => {
    if (key === null) return null;
    const u = new URL(url, "http://x");
    u.searchParams.delete("page");
    u.searchParams.set("cursor", encodeCursor({ direction, key }));
    u.searchParams.set("perpage", String(request.perpage));
    return `${u.pathname}?${u.searchParams.toString()}`;
  };
  return {
    count: count.count,
    count_exact: count.exact,
    next: link(slice.nextKey, "next"),
    previous: link(slice.previousKey, "previous"),
    results: slice.results,
  };
}
