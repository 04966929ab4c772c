import type { Kysely } from "kysely";
import { beforeAll } from "vitest";
import type { Principal } from "../../shared/auth/index.ts";
import type { Database } from "../../shared/db/types.ts";
import { createLogger } from "../../shared/log.ts";
import { createApp } from "../../shared/runtime/assemble.ts";
import { createActor } from "../../shared/testing/actors.ts";
import { createTestKeys, type TestKeys, type useTestDb } from "../../shared/testing/index.ts";
import { cartFunction } from "./definition.ts";

/** What the cart's route tests share: an app over the file's database and fresh customers with tokens. */
export function useCartTestbed(t: ReturnType<typeof useTestDb>) {
  let keys: TestKeys;
  beforeAll(async () => {
    keys = await createTestKeys();
  });
  return {
    app: (db: Kysely<Database> = t.db) =>
      createApp(cartFunction, { db, logger: createLogger("silent"), verify: keys.verify }),
    /** A new customer and a token for them. */
    customer: async (): Promise<{ user: Principal; token: string }> => {
      const { principal, token } = await createActor(t.db, keys, "customer");
      return { user: principal, token };
    },
  };
}

/** A user's cart lines as stored, for checking what a request did or did not change. */
export function linesOf(t: ReturnType<typeof useTestDb>, userId: number) {
  return t.db
    .selectFrom("cart_items")
    .select(["menuitem_id", "quantity", "unit_price"])
    .where("user_id", "=", userId)
    .orderBy("id")
    .execute();
}
