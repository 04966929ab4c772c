import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import { parseOrdering } from "./ordering.ts";
import { parsePage, toPage } from "./pagination.ts";

describe("parsePage", () => {
  it("defaults to page 1 of 20 and clamps perpage to 100", () => {
    expect(parsePage({})).toEqual({ page: 1, perpage: 20, offset: 0 });
    expect(parsePage({ page: "3", perpage: "500" })).toEqual({ page: 3, perpage: 100, offset: 200 });
  });

  it("rejects a page that is not a positive whole number", () => {
    for (const page of ["0", "-1", "abc", "1.5", "1;drop table users"]) {
      expect(() => parsePage({ page })).toThrow(AppError);
    }
  });
});

describe("toPage", () => {
  it("links to neighbouring pages, keeping the other query parameters", () => {
    const page = toPage(
      "/api/menu-items?category=mains&page=2&perpage=10",
      { page: 2, perpage: 10, offset: 10 },
      35,
      [1],
    );
    expect(page.count).toBe(35);
    expect(page.next).toBe("/api/menu-items?category=mains&page=3&perpage=10");
    expect(page.previous).toBe("/api/menu-items?category=mains&page=1&perpage=10");
  });

  it("has no next on the last page and no previous on the first", () => {
    const page = toPage("/api/x", { page: 1, perpage: 20, offset: 0 }, 3, [1, 2, 3]);
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
