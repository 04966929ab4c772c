import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { hashPassword } from "../shared/auth/password.ts";
import { normalizeUsername } from "../shared/auth/username.ts";
import type { Database } from "../shared/db/types.ts";
import { SEED_CATEGORIES, SEED_MENU } from "./seed-data.ts";

export interface SeedOptions {
  adminUsername: string;
  /** The admin's password; generated when absent. */
  adminPassword?: string | undefined;
}

export interface SeedResult {
  adminUsername: string;
  /** The password, when this run created the admin (undefined when the admin already existed). */
  adminPassword: string | undefined;
  menuSeeded: boolean;
}

/**
 * Seeds a database once: the admin user and, when there is no menu yet, the categories and menu. Safe to
 * run on every start; it never overwrites what is there.
 */
export async function seed(db: Kysely<Database>, options: SeedOptions): Promise<SeedResult> {
  const adminUsername = normalizeUsername(options.adminUsername);
  return db.transaction().execute(async (trx) => {
    let adminPassword: string | undefined;
    const existing = await trx
      .selectFrom("users")
      .select("id")
      .where((eb) => eb(eb.fn("lower", ["username"]), "=", adminUsername.toLowerCase()))
      .executeTakeFirst();
    if (!existing) {
      adminPassword = options.adminPassword ?? randomBytes(12).toString("base64url");
      const admin = await trx
        .insertInto("users")
        .values({
          username: adminUsername,
          email: null,
          password_hash: await hashPassword(adminPassword),
          is_admin: true,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx.insertInto("user_groups").values({ user_id: admin.id, group_name: "manager" }).execute();
    }
    const anyCategory = await trx.selectFrom("categories").select("id").limit(1).executeTakeFirst();
    if (anyCategory) return { adminUsername, adminPassword, menuSeeded: false };
    const categories = await trx
      .insertInto("categories")
      .values(SEED_CATEGORIES.map((c) => ({ ...c })))
      .returning(["id", "slug"])
      .execute();
    const idOf = new Map(categories.map((c) => [c.slug, c.id]));
    await trx
      .insertInto("menu_items")
      .values(
        SEED_MENU.map((item) => ({
          title: item.title,
          price: item.price,
          category_id: idOf.get(item.category)!,
          featured: item.featured ?? false,
          description: item.description,
        })),
      )
      .execute();
    return { adminUsername, adminPassword, menuSeeded: true };
  });
}
