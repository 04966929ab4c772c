import { describe, expect, it } from "vitest";
import { useTestDb } from "../../shared/testing/index.ts";
import { explainListQuery, NO_FILTER, seedLargeMenu } from "./large-menu.ts";

// The list query on a 10,000-item menu reads the page through an index in the requested order and
// stops at the page's end; only the exact count (and a substring search) reads more.

const t = useTestDb();

describe("the menu list query plan on 10,000 items", () => {
  it("uses the indexes for each filter and ordering", async () => {
    await seedLargeMenu(t.db, 10_000, 25);

    const byCategory = await explainListQuery(
      t.db,
      { ...NO_FILTER, category: { id: undefined, name: "cat-7" } },
      [{ column: "price", direction: "asc" }],
    );
    expect(byCategory).toMatch(
      /Index Scan using menu_items_category_price_idx[\s\S]*Index Cond: \(category_id = /,
    );
    expect(byCategory).not.toMatch(/Seq Scan on menu_items/);

    const byPriceDesc = await explainListQuery(t.db, NO_FILTER, [{ column: "price", direction: "desc" }]);
    expect(byPriceDesc).toMatch(/Index Scan Backward using menu_items_price_idx/);

    const byTitle = await explainListQuery(t.db, NO_FILTER, [{ column: "title", direction: "asc" }]);
    expect(byTitle).toMatch(/Index Scan using menu_items_title_idx/);

    const featured = await explainListQuery(t.db, { ...NO_FILTER, featured: true }, []);
    expect(featured).toMatch(/Index Scan using menu_items_featured_idx/);
    expect(featured).not.toMatch(/Seq Scan on menu_items/);

    const priceRange = await explainListQuery(t.db, { ...NO_FILTER, minPrice: "10.00", maxPrice: "12.00" }, [
      { column: "price", direction: "asc" },
    ]);
    expect(priceRange).toMatch(/Index Cond: \(\(price >= 10\.00\) AND \(price <= 12\.00\)\)/);
    expect(priceRange).not.toMatch(/Seq Scan on menu_items/);
  });
});
