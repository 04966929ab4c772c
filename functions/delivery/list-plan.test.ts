import { describe, expect, it } from "vitest";
import { explainQuery } from "../../shared/db/explain.ts";
import type { PageRequest } from "../../shared/http/index.ts";
import { useTestDb } from "../../shared/testing/index.ts";
import { seedScale } from "../../shared/testing/scale-data.ts";
import { deliveryPageQuery } from "./repository.ts";

// On 20,000 deliveries the open-first list walks its expression index from the cursor (or the start)
// and stops after one page, for a manager (all) and for a crew member (their own).

const t = useTestDb();
const first: PageRequest = { page: 1, perpage: 20, offset: 0, cursor: undefined };

describe("the deliveries list query plans on 20,000 deliveries", () => {
  it("reads open-first pages through an index in that order", async () => {
    const data = await seedScale(t.db, { orders: 20_000, users: 2_000, menuItems: 200, events: 100 });
    const plan = async (filter: { deliveryCrewId?: number }, page = first) => {
      const text = await explainQuery(t.db, deliveryPageQuery(t.db, filter, page));
      expect(text).not.toMatch(/Seq Scan|Sort/);
      return text;
    };

    expect(await plan({})).toMatch(/Index Scan Backward using deliveries_open_created_idx/);
    const middle = await deliveryPageQuery(t.db, {}, { ...first, offset: 5_000 }).executeTakeFirstOrThrow();
    expect(await plan({}, { ...first, cursor: { direction: "next", key: middle._key } })).toMatch(
      /Index Scan Backward using deliveries_open_created_idx[\s\S]*Index Cond: \(ROW\(/,
    );
    expect(await plan({}, { ...first, cursor: { direction: "previous", key: middle._key } })).toMatch(
      /Index Scan using deliveries_open_created_idx[\s\S]*Index Cond: \(ROW\(/,
    );
    const crew = { deliveryCrewId: data.crewIds[0]! };
    expect(await plan(crew)).toMatch(/Index Scan Backward using deliveries_crew_open_created_idx/);
    const crewMiddle = await deliveryPageQuery(t.db, crew, {
      ...first,
      offset: 1_000,
    }).executeTakeFirstOrThrow();
    expect(await plan(crew, { ...first, cursor: { direction: "next", key: crewMiddle._key } })).toMatch(
      // The busiest crew member holds a quarter of them: walking either index in order reads about a page.
      /Index Scan Backward using deliveries_(crew_)?open_created_idx[\s\S]*Index Cond: \(.*ROW\(/,
    );
  }, 180_000);
});
