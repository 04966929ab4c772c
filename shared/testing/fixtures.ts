import type { Kysely } from "kysely";
import type { Principal } from "../auth/principal.ts";
import type { Database, GroupName } from "../db/types.ts";

let counter = 0;

/** A name no other fixture in this process has used. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}_${Math.random().toString(36).slice(2, 7)}`;
}

/**
 * Inserts a user with the given groups. Its password hash matches no password: tests of other functions
 * authenticate with tokens from `createTestKeys().tokenFor`, not by logging in.
 */
export async function createUser(
  db: Kysely<Database>,
  options: { username?: string; groups?: GroupName[]; isAdmin?: boolean; email?: string | null } = {},
): Promise<Principal> {
  const username = options.username ?? uniqueName("user");
  const row = await db
    .insertInto("users")
    .values({
      username,
      email: options.email ?? `${username}@example.test`,
      password_hash: "!fixture",
      is_admin: options.isAdmin ?? false,
    })
    .returning(["id", "username"])
    .executeTakeFirstOrThrow();
  const groups = options.groups ?? [];
  if (groups.length > 0) {
    await db
      .insertInto("user_groups")
      .values(groups.map((group_name) => ({ user_id: row.id, group_name })))
      .execute();
  }
  return { id: row.id, username: row.username, groups, isAdmin: options.isAdmin ?? false };
}

/** Inserts a category; every field may be overridden. */
export async function createCategory(db: Kysely<Database>, options: { slug?: string; title?: string } = {}) {
  const slug = options.slug ?? uniqueName("cat").toLowerCase();
  return db
    .insertInto("categories")
    .values({ slug, title: options.title ?? `Category ${slug}` })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Inserts a menu item (and a category for it unless one is given). */
export async function createMenuItem(
  db: Kysely<Database>,
  options: {
    title?: string;
    price?: string;
    categoryId?: number;
    featured?: boolean;
    description?: string;
  } = {},
) {
  const categoryId = options.categoryId ?? (await createCategory(db)).id;
  return db
    .insertInto("menu_items")
    .values({
      title: options.title ?? uniqueName("Dish"),
      price: options.price ?? "9.50",
      category_id: categoryId,
      featured: options.featured ?? false,
      description: options.description ?? "",
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
