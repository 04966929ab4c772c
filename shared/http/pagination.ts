import { z } from "zod";
import { integer } from "./fields.ts";
import { validate } from "./validate.ts";

export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 20;

export interface PageRequest {
  page: number;
  perpage: number;
  offset: number;
}

/** A page of a collection as every list route answers it. */
export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** The query parameters of every paginated list; list routes extend it with their own filters. */
export const pageQuery = z.object({
  page: integer(1, 1_000_000).optional(),
  perpage: integer(1, Number.MAX_SAFE_INTEGER).optional(),
  page_size: integer(1, Number.MAX_SAFE_INTEGER).optional(),
});

/** The shape of a page of `item`s, as the document shows it: the one place the page's fields are listed. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    count: z.number().int(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(item),
  });
}

/** Reads `?page=&perpage=` (perpage clamped to 100; `page_size` is accepted as DRF clients send it). */
export function parsePage(query: Record<string, string>): PageRequest {
  const q = validate(pageQuery, { page: query.page, perpage: query.perpage, page_size: query.page_size });
  const page = q.page ?? 1;
  const perpage = Math.min(q.perpage ?? q.page_size ?? DEFAULT_PER_PAGE, MAX_PER_PAGE);
  return { page, perpage, offset: (page - 1) * perpage };
}

/**
 * Wraps one page of results with the total and relative links to the neighbouring pages, keeping every
 * other query parameter of the request as it was.
 */
export function toPage<T>(url: string, request: PageRequest, count: number, results: T[]): Page<T> {
  const link = (page: number) => {
    const u = new URL(url, "http://x");
    u.searchParams.set("page", String(page));
    u.searchParams.set("perpage", String(request.perpage));
    return `${u.pathname}?${u.searchParams.toString()}`;
  };
  const hasNext = request.offset + results.length < count;
  return {
    count,
    next: hasNext ? link(request.page + 1) : null,
    previous:
      request.page > 1
        ? link(Math.min(request.page - 1, Math.max(1, Math.ceil(count / request.perpage))))
        : null,
    results,
  };
}
