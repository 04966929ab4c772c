import type { KyselyPlugin } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../shared/log.ts";
import { createApp } from "../../shared/runtime/assemble.ts";
import { call, createTestKeys, useTestDb } from "../../shared/testing/index.ts";
import { menuFunction } from "./definition.ts";

// The filter/order/pagination matrix. This file's menu is built once and only read: every expectation
// is computed from it by a small reference model, and every page is fetched by following `next`.

const t = useTestDb();
const PER_PAGE = 7;

interface Item {
  id: number;
  title: string;
  cents: number;
  featured: boolean;
  categoryId: number;
}
const menu: Item[] = [];
const categories: Record<"starters" | "mains" | "desserts" | "numeric", { id: number; slug: string }> =
  {} as never;

beforeAll(async () => {
  const insert = (slug: string, title: string) =>
    t.db.insertInto("categories").values({ slug, title }).returning(["id", "slug"]).executeTakeFirstOrThrow();
  categories.starters = await insert("starters", "Starters");
  categories.mains = await insert("mains", "Main Courses");
  categories.desserts = await insert("sweet-things", "Desserts");
  // Its slug is the starters' id: `?category=<that id>` must mean the starters (an id outranks a slug).
  categories.numeric = await insert(String(categories.starters.id), "Numeric slug");
  const order = [categories.starters, categories.mains, categories.desserts];
  const rows = Array.from({ length: 60 }, (_, k) => {
    const i = k + 1;
    const number = String(i).padStart(3, "0");
    const special: Record<number, string> = { 10: "100% juice", 11: "snake_case bites" };
    const title = i >= 20 && i <= 22 ? "Dish 020 twin" : `Dish ${number} ${special[i] ?? "plate"}`;
    const cents = ((i * 37) % 23) * 50 + 99; // many equal prices, so the id tiebreak matters
    const category = i === 60 ? categories.numeric : order[i % 3]!;
    return { title, price: (cents / 100).toFixed(2), featured: i % 7 === 0, category_id: category.id };
  });
  const inserted = await t.db
    .insertInto("menu_items")
    .values(rows)
    .returning(["id", "title", "price"])
    .execute();
  menu.push(
    ...inserted.map((row, k) => ({
      id: row.id,
      title: row.title,
      cents: Number(row.price.replace(".", "")),
      featured: rows[k]!.featured,
      categoryId: rows[k]!.category_id,
    })),
  );
});

let keysVerify: Awaited<ReturnType<typeof createTestKeys>>["verify"];
beforeAll(async () => {
  keysVerify = (await createTestKeys()).verify;
});
const app = (db = t.db) =>
  createApp(menuFunction, { db, logger: createLogger("silent"), verify: keysVerify });

type Filter = [query: Record<string, string>, expected: (item: Item) => boolean];
const titleOf = (categoryId: number) =>
  ({
    [categories.starters.id]: "Starters",
    [categories.mains.id]: "Main Courses",
    [categories.desserts.id]: "Desserts",
    [categories.numeric.id]: "Numeric slug",
  })[categoryId]!;

const FILTERS: Record<string, () => Filter> = {
  "no filter": () => [{}, () => true],
  "category by id": () => [
    { category: String(categories.starters.id) },
    (i) => i.categoryId === categories.starters.id,
  ],
  "category by slug": () => [{ category: "mains" }, (i) => i.categoryId === categories.mains.id],
  "category by title in any case": () => [
    { category: "dEsSeRtS" },
    (i) => i.categoryId === categories.desserts.id,
  ],
  "an unknown category": () => [{ category: "nothing-here" }, () => false],
  "featured=true": () => [{ featured: "true" }, (i) => i.featured],
  "featured=false": () => [{ featured: "false" }, (i) => !i.featured],
  "search in item titles": () => [{ search: "dish 01" }, (i) => i.title.toLowerCase().includes("dish 01")],
  "search in category titles": () => [
    { search: "COURSE" },
    (i) => titleOf(i.categoryId).toLowerCase().includes("course"),
  ],
  "search for a literal %": () => [{ search: "%" }, (i) => i.title.includes("%")],
  "search for a literal _": () => [{ search: "_" }, (i) => i.title.includes("_")],
  min_price: () => [{ min_price: "5" }, (i) => i.cents >= 500],
  max_price: () => [{ max_price: "5.49" }, (i) => i.cents <= 549],
  to_price: () => [{ to_price: "3" }, (i) => i.cents <= 300],
  "a price range": () => [{ min_price: "2.00", max_price: "6" }, (i) => i.cents >= 200 && i.cents <= 600],
  "everything at once": () => [
    { category: "mains", featured: "false", min_price: "3", search: "plate" },
    (i) => i.categoryId === categories.mains.id && !i.featured && i.cents >= 300 && i.title.includes("plate"),
  ],
};

type Key = "id" | "title" | "price";
const value = (item: Item, key: Key) => (key === "price" ? item.cents : item[key]);
const ORDERINGS: [query: Record<string, string>, terms: [Key, 1 | -1][]][] = [
  [{}, [["id", 1]]],
  [
    { ordering: "price" },
    [
      ["price", 1],
      ["id", 1],
    ],
  ],
  [
    { ordering: "-price" },
    [
      ["price", -1],
      ["id", -1],
    ],
  ],
  [
    { ordering: "title" },
    [
      ["title", 1],
      ["id", 1],
    ],
  ],
  [
    { ordering: "-title" },
    [
      ["title", -1],
      ["id", -1],
    ],
  ],
  [{ ordering: "-id" }, [["id", -1]]],
  [
    { ordering: "price,-title" },
    [
      ["price", 1],
      ["title", -1],
      ["id", -1],
    ],
  ],
  [
    { sort: "-price" },
    [
      ["price", -1],
      ["id", -1],
    ],
  ],
  [
    { ordering: "title", sort: "-price" },
    [
      ["title", 1],
      ["id", 1],
    ],
  ],
];

function expectedIds(filter: (item: Item) => boolean, terms: [Key, 1 | -1][]): number[] {
  const compare = (a: Item, b: Item) => {
    for (const [key, direction] of terms) {
      const x = value(a, key);
      const y = value(b, key);
      if (x !== y) return (x < y ? -1 : 1) * direction;
    }
    return 0;
  };
  return menu
    .filter(filter)
    .sort(compare)
    .map((item) => item.id);
}

/**
 * Fetches every page by following `next` (a cursor), checking each page's count and size, and that its
 * `previous` (a cursor too) gives back the page before it.
 */
async function walk(query: Record<string, string>): Promise<{ ids: number[]; count: number }> {
  const ids: number[] = [];
  let path: string | null = `/api/menu-items?${new URLSearchParams({ ...query, perpage: String(PER_PAGE) })}`;
  let page = 1;
  let count = -1;
  let before: number[] = [];
  while (path) {
    const res = await call(app(), "GET", path);
    expect(res.status, path).toBe(200);
    count = res.body.count;
    expect(res.body.results.length).toBe(Math.min(PER_PAGE, Math.max(0, count - (page - 1) * PER_PAGE)));
    if (page === 1) expect(res.body.previous).toBeNull();
    else {
      const back = await call(app(), "GET", res.body.previous);
      expect(back.body.results.map((r: { id: number }) => r.id)).toEqual(before);
    }
    before = res.body.results.map((r: { id: number }) => r.id);
    for (const [key, v] of Object.entries(query)) {
      if (res.body.next) expect(new URL(res.body.next, "http://x").searchParams.get(key)).toBe(v);
    }
    ids.push(...res.body.results.map((r: { id: number }) => r.id));
    path = res.body.next;
    page += 1;
  }
  return { ids, count };
}

describe("GET /api/menu-items: filters × orderings × pages", () => {
  for (const [name, make] of Object.entries(FILTERS)) {
    it(`${name}, in every ordering, page by page`, async () => {
      const [filterQuery, predicate] = make();
      for (const [orderQuery, terms] of ORDERINGS) {
        const { ids, count } = await walk({ ...filterQuery, ...orderQuery });
        const expected = expectedIds(predicate, terms);
        expect(ids, JSON.stringify({ ...filterQuery, ...orderQuery })).toEqual(expected);
        expect(count).toBe(expected.length);
      }
    });
  }

  it("the matrix is not trivial: most filters match several pages, one matches nothing", async () => {
    const sizes = Object.values(FILTERS).map((make) => menu.filter(make()[1]).length);
    expect(menu.length).toBeGreaterThanOrEqual(50);
    expect(sizes.filter((n) => n > PER_PAGE).length).toBeGreaterThanOrEqual(8);
    expect(sizes).toContain(0);
  });
});

describe("GET /api/menu-items: limits and hostile input", () => {
  it("clamps perpage to 100 and answers a page past the end with the count and a way back", async () => {
    const all = await call(app(), "GET", "/api/menu-items/?perpage=500");
    expect(all.status).toBe(200);
    expect(all.body.results).toHaveLength(menu.length);
    expect(all.body.next).toBeNull();
    const second = await call(app(), "GET", "/api/menu-items?perpage=500&page=2");
    expect(second.body.results).toEqual([]);
    // A page past the end has no row to continue from: the count says where the end is.
    const far = await call(app(), "GET", "/api/menu-items?page=50&perpage=10");
    expect(far.body).toEqual({
      count: menu.length,
      count_exact: true,
      next: null,
      previous: null,
      results: [],
    });
  });

  it("shows each item with its category nested", async () => {
    const res = await call(app(), "GET", "/api/menu-items?search=snake_case");
    expect(res.body.results).toEqual([
      {
        id: expect.any(Number),
        title: "Dish 011 snake_case bites",
        price: expect.stringMatching(/^\d+\.\d{2}$/),
        featured: false,
        category: { id: categories.desserts.id, slug: "sweet-things", title: "Desserts" },
        description: "",
      },
    ]);
  });

  it("treats SQL-looking values as data: no match, or 400 where the value has a shape", async () => {
    const noMatch = [
      "search=' or 1=1; drop table menu_items; --",
      "search=%25' or '1'='1",
      "category=1 or 1=1",
      "category=' or ''='",
      "category=mains'; --",
      "search=\\",
    ];
    for (const query of noMatch) {
      const res = await call(app(), "GET", `/api/menu-items?${query}`);
      expect(res.status, query).toBe(200);
      expect(res.body.count, query).toBe(0);
    }
    const refused = [
      "ordering=price;drop table menu_items",
      "ordering=(select 1)",
      "ordering=price desc",
      "sort=category_id",
      "ordering=menu_items.price",
      "min_price=1 or 1=1",
      "max_price=1e9",
      "featured=yes",
      "page=1;",
      "page=0",
      "perpage=-1",
      "search=a%00b",
      `search=${"x".repeat(101)}`,
    ];
    for (const query of refused) {
      const res = await call(app(), "GET", `/api/menu-items?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(JSON.stringify(res.body)).not.toMatch(/syntax error|relation|postgres|\.ts:\d/i);
    }
    const still = await call(app(), "GET", "/api/menu-items");
    expect(still.body.count).toBe(menu.length);
  });

  it("ignores empty and unknown parameters, as Little Lemon clients send them", async () => {
    const res = await call(app(), "GET", "/api/menu-items?search=&category=&ordering=&foo=bar");
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(menu.length);
  });

  it("reads any page in one database round trip, however many items it shows", async () => {
    let queries = 0;
    const counting: KyselyPlugin = {
      // transformQuery also sees every subquery as it is built; a result arrives once per round trip.
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        queries += 1;
        return args.result;
      },
    };
    const counted = app(t.db.withPlugin(counting));
    for (const query of ["perpage=100", "category=mains&ordering=-price", "search=dish&page=3", "page=99"]) {
      queries = 0;
      const res = await call(counted, "GET", `/api/menu-items?${query}`);
      expect(res.status).toBe(200);
      expect(queries, query).toBe(1);
    }
  });
});
