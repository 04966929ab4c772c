import { describe, expect, it } from "vitest";
import { explainQuery } from "../../shared/db/explain.ts";
import type { PageRequest } from "../../shared/http/index.ts";
import { useTestDb } from "../../shared/testing/index.ts";
import { seedScale } from "../../shared/testing/scale-data.ts";
import { type OrderColumn, type OrderFilter, orderPageQuery } from "./repository.ts";

// On 20,000 orders each list's page query walks an index in its order from the cursor (or the start)
// and stops after one page: no sort of the matching rows, no scan of the table.

const t = useTestDb();
const first: PageRequest = { page: 1, perpage: 20, offset: 0, cursor: undefined };

describe("the orders list query plans on 20,000 orders", () => {
  it("reads every list through an index in its order", async () => {
    const data = await seedScale(t.db, { orders: 20_000, users: 2_000, menuItems: 200, events: 100 });
    const plan = async (
      filter: OrderFilter,
      ordering: { column: OrderColumn; direction: "asc" | "desc" }[],
      page = first,
    ) => {
      const text = await explainQuery(t.db, orderPageQuery(t.db, filter, ordering, page));
      expect(text).not.toMatch(/Seq Scan/);
      // Only a customer's own few orders may be sorted after their index finds them.
      if (filter.userId === undefined) expect(text).not.toMatch(/Sort/);
      return text;
    };

    expect(await plan({}, [])).toMatch(/Index Scan Backward using orders_created_idx/);
    // A middle page by cursor seeks to the cursor's key in the same index.
    const middle = await orderPageQuery(t.db, {}, [], { ...first, offset: 5_000 }).executeTakeFirstOrThrow();
    const byCursor = await plan({}, [], { ...first, cursor: { direction: "next", key: middle._key } });
    expect(byCursor).toMatch(
      /Index Scan Backward using orders_created_idx[\s\S]*Index Cond: \(ROW\(created_at, id\) < ROW\(/,
    );
    const back = await plan({}, [], { ...first, cursor: { direction: "previous", key: middle._key } });
    expect(back).toMatch(
      /Index Scan using orders_created_idx[\s\S]*Index Cond: \(ROW\(created_at, id\) > ROW\(/,
    );

    // A common status walks the ordering's index and skips the few others; a rare one walks its own.
    expect(await plan({ status: "delivered" }, [])).toMatch(
      /Index Scan Backward using orders_(status_)?created_idx/,
    );
    expect(await plan({ status: "placed" }, [])).toMatch(
      /Index Scan Backward using orders_status_created_idx/,
    );
    expect(await plan({}, [{ column: "total", direction: "desc" }])).toMatch(
      /Index Scan Backward using orders_total_idx/,
    );
    expect(await plan({ status: "placed" }, [{ column: "total", direction: "asc" }])).toMatch(
      /Index Scan using orders_status_total_idx/,
    );
    expect(await plan({ deliveryCrewId: data.crewIds[0]! }, [])).toMatch(
      /Index Scan Backward using orders_crew_created_idx/,
    );
    expect(await plan({ userId: data.customerId }, [])).toMatch(
      /orders_user_created_idx[\s\S]*Index Cond: \(user_id = /,
    );
  }, 180_000);
});
