import { sql } from "kysely";
import { beforeAll } from "vitest";
import type { Publisher } from "../../shared/events/index.ts";
import { createLogger } from "../../shared/log.ts";
import { createApp } from "../../shared/runtime/assemble.ts";
import { createActor, type Role } from "../../shared/testing/actors.ts";
import { createTestKeys, type TestKeys, type useTestDb } from "../../shared/testing/index.ts";
import { menuFunction } from "./definition.ts";

/**
 * What the menu's route tests share: an app over the file's database, a publisher that records what it
 * was asked to send, and tokens for a fresh user in each role (every call makes a new user).
 */
export function useMenuTestbed(t: ReturnType<typeof useTestDb>) {
  let keys: TestKeys;
  const published: string[] = [];
  const publisher: Publisher = {
    publish: async (ids) => {
      published.push(...ids);
    },
  };
  beforeAll(async () => {
    keys = await createTestKeys();
  });
  const tokenOf = (role: Role) => async () => (await createActor(t.db, keys, role)).token;
  return {
    published,
    app: () =>
      createApp(menuFunction, { db: t.db, logger: createLogger("silent"), verify: keys.verify, publisher }),
    manager: tokenOf("manager"),
    admin: tokenOf("admin"),
    customer: tokenOf("customer"),
    crew: tokenOf("crew"),
  };
}

/** Every row of a table, for checking that a failed request changed nothing. */
export async function snapshot(
  t: ReturnType<typeof useTestDb>,
  table: "categories" | "menu_items" | "outbox",
) {
  const result = await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by 1`.execute(
    t.db,
  );
  return result.rows;
}
