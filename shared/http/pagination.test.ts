import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { parseOrdering } from "./ordering.ts";
import { encodeCursor, MAX_PAGE_OFFSET, parsePage, toPage } from "./pagination.ts";

describe("parsePage", () => {
  it("defaults to page 1 of 20 and clamps perpage to 100", () => {
    expect(parsePage({})).toEqual({ page: 1, perpage: 20, offset: 0, cursor: undefined });
    expect(parsePage({ page: "3", perpage: "500" })).toEqual({
      page: 3,
      perpage: 100,
      offset: 200,
      cursor: undefined,
    });
  });

  it("rejects a page that is not a positive whole number", () => {
    for (const page of ["0", "-1", "abc", "1.5", "1;drop table users"]) {
      expect(() => parsePage({ page })).toThrow(AppError);
    }
  });

  it("serves ?page= only within the first MAX_PAGE_OFFSET rows", () => {
    const last = MAX_PAGE_OFFSET / 100 + 1;
    expect(parsePage({ page: String(last), perpage: "100" }).offset).toBe(MAX_PAGE_OFFSET);
    expect(() => parsePage({ page: String(last + 1), perpage: "100" })).toThrow(/cursor/);
  });

  it("reads back the cursor of a link, which wins over a page number", () => {
    const cursor = encodeCursor({ direction: "previous", key: ["2026-12-03 07:00:00.123456+00", "42"] });
    expect(parsePage({ cursor, page: "7", perpage: "5" })).toEqual({
      page: 1,
      perpage: 5,
      offset: 0,
      cursor: { direction: "previous", key: ["2026-12-03 07:00:00.123456+00", "42"] },
    });
  });

  it("refuses a cursor it did not make", () => {
    const forged = [
      "not base64 at all!",
      Buffer.from("{").toString("base64url"),
      Buffer.from(JSON.stringify({ d: "x", k: ["1"] })).toString("base64url"),
      Buffer.from(JSON.stringify({ d: "n", k: [] })).toString("base64url"),
      Buffer.from(JSON.stringify({ d: "n", k: [1] })).toString("base64url"),
    ];
    for (const cursor of forged) expect(() => parsePage({ cursor })).toThrow(AppError);
  });
});

describe("toPage", () => {
  const request = { page: 2, perpage: 10, offset: 10, cursor: undefined };

  it("links to neighbouring pages by cursor, keeping the other query parameters", () => {
    const page = toPage(
      "/api/menu-items?category=mains&page=2&perpage=10",
      request,
      { count: 35, exact: true },
      { results: [1], nextKey: ["5.00", "9"], previousKey: ["4.00", "3"] },
    );
    expect(page.count).toBe(35);
    expect(page.count_exact).toBe(true);
    const next = new URL(page.next!, "http://x");
    expect(next.pathname).toBe("/api/menu-items");
    expect(next.searchParams.get("category")).toBe("mains");
    expect(next.searchParams.get("page")).toBeNull();
    expect(next.searchParams.get("perpage")).toBe("10");
    expect(parsePage(Object.fromEntries(next.searchParams)).cursor).toEqual({
      direction: "next",
      key: ["5.00", "9"],
    });
    const previous = new URL(page.previous!, "http://x");
    expect(parsePage(Object.fromEntries(previous.searchParams)).cursor).toEqual({
      direction: "previous",
      key: ["4.00", "3"],
    });
  });

  it("has no link where there is no key to continue from", () => {
    const page = toPage(
      "/api/x",
      { ...request, page: 1, offset: 0 },
      { count: 3, exact: true },
      { results: [1, 2, 3], nextKey: null, previousKey: null },
    );
    expect(page.next).toBeNull();
    expect(page.previous).toBeNull();
  });
});

describe("parseOrdering", () => {
  const allowed = { price: "menu_items.price", title: "menu_items.title" } as const;

  it("reads fields and directions against the whitelist", () => {
    expect(parseOrdering("price,-title", allowed)).toEqual([
      { column: "menu_items.price", direction: "asc" },
      { column: "menu_items.title", direction: "desc" },
    ]);
    expect(parseOrdering(undefined, allowed)).toEqual([]);
  });

  it("refuses unknown fields, including SQL and prototype names", () => {
    for (const raw of ["password", "price;drop table users", "__proto__", "constructor", "price desc"]) {
      expect(() => parseOrdering(raw, allowed)).toThrow(AppError);
    }
  });
});
