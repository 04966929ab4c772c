import type { CompiledQuery } from "kysely";
import { describe, expect, it } from "vitest";
import { createCategory, createMenuItem, useTestDb } from "../testing/index.ts";
import { shapedQuery } from "./query-shapes.ts";

const t = useTestDb();

interface Shape {
  cheap: boolean;
  descending: boolean;
}
interface Values {
  category: number;
  price: string;
  limit: number;
}

describe("shapedQuery", () => {
  it("builds each shape once and answers as a freshly built query would, for any values", async () => {
    const a = await createCategory(t.db);
    const b = await createCategory(t.db);
    for (const [category, price] of [
      [a.id, "3.00"],
      [a.id, "7.00"],
      [a.id, "12.00"],
      [b.id, "4.00"],
      [b.id, "9.00"],
    ] as const)
      await createMenuItem(t.db, { categoryId: category, price });
    const built: Shape[] = [];
    const compiled: CompiledQuery[] = [];
    const build = (shape: Shape, values: Values) => {
      const query = t.db
        .selectFrom("menu_items")
        .select(["price"])
        .where("category_id", "=", values.category)
        .where("price", shape.cheap ? "<" : ">=", values.price)
        .orderBy("price", shape.descending ? "desc" : "asc")
        .limit(values.limit);
      return query;
    };
    const query = shapedQuery((_db, shape: Shape, values: Values) => {
      built.push(shape);
      const q = build(shape, values);
      compiled.push(q.compile());
      return q;
    });

    const cases: [Shape, Values][] = [
      [
        { cheap: true, descending: false },
        { category: a.id, price: "10.00", limit: 5 },
      ],
      [
        { cheap: true, descending: false },
        { category: b.id, price: "5.00", limit: 5 },
      ],
      [
        { cheap: true, descending: false },
        { category: a.id, price: "10.00", limit: 1 },
      ],
      [
        { cheap: false, descending: true },
        { category: a.id, price: "5.00", limit: 5 },
      ],
      [
        { cheap: false, descending: true },
        { category: b.id, price: "0.00", limit: 5 },
      ],
    ];
    for (const [shape, values] of cases) {
      const expected = await build(shape, values).execute();
      expect(await query(t.db, shape, values)).toEqual(expected);
    }
    expect(await query(t.db, cases[0]![0], cases[0]![1])).toEqual([{ price: "3.00" }, { price: "7.00" }]);
    // Two shapes, each built once, with stand-ins for every value.
    expect(built).toEqual([cases[0]![0], cases[3]![0]]);
    expect(compiled[0]!.parameters).toEqual([
      "\u0000value:category",
      "\u0000value:price",
      "\u0000value:limit",
    ]);
  });

  it("keeps constants of the built query and binds a value used twice in both places", async () => {
    const category = await createCategory(t.db, { slug: "same-as-title", title: "same-as-title" });
    const query = shapedQuery((db, _shape: null, values: { name: string }) =>
      db
        .selectFrom("categories")
        .select("id")
        .where("slug", "=", values.name)
        .where("title", "=", values.name)
        .where("id", ">", 0),
    );
    expect(await query(t.db, null, { name: "same-as-title" })).toEqual([{ id: category.id }]);
    expect(await query(t.db, null, { name: "other" })).toEqual([]);
  });

  it("refuses a builder that computes with a value instead of binding it", async () => {
    const computed = shapedQuery((db, _shape: null, values: { page: number; perpage: number }) =>
      db
        .selectFrom("menu_items")
        .select("id")
        .offset(values.page * values.perpage),
    );
    await expect(computed(t.db, null, { page: 2, perpage: 10 })).rejects.toThrow(/computed with a value/);
    const concatenated = shapedQuery((db, _shape: null, values: { text: string }) =>
      db.selectFrom("menu_items").select("id").where("title", "like", `%${values.text}%`),
    );
    await expect(concatenated(t.db, null, { text: "soup" })).rejects.toThrow(/computed with a value/);
  });
});
