import { type Kysely, sql, type Transaction } from "kysely";
import { normalizeUsername } from "../../shared/auth/username.ts";
import { countCapped } from "../../shared/db/count.ts";
import { afterCursor, readOrder, type SortPart, sortKeyColumn, toSlice } from "../../shared/db/keyset.ts";
import type { PageRequest } from "../../shared/db/page.ts";
import type { Database, GroupName } from "../../shared/db/types.ts";

// Kysely queries of the auth function's own tables. Times come from the database's clock (`now()`), the
// one clock every instance shares.

export interface UserRecord {
  id: number;
  username: string;
  email: string | null;
  is_admin: boolean;
}

const userColumns = ["id", "username", "email", "is_admin"] as const;

/**
 * A user by username, in its NFKC form and compared case-insensitively as the unique index on
 * lower(username) does: registration, both logins and the group routes all look users up here.
 */
export async function findUserByUsername(db: Kysely<Database>, username: string) {
  return db
    .selectFrom("users")
    .select([...userColumns, "password_hash"])
    .where(sql<string>`lower(username)`, "=", sql<string>`lower(${normalizeUsername(username)})`)
    .executeTakeFirst();
}

export async function findUserById(db: Kysely<Database>, id: number): Promise<UserRecord | undefined> {
  return db.selectFrom("users").select(userColumns).where("id", "=", id).executeTakeFirst();
}

export async function insertUser(
  db: Kysely<Database>,
  user: { username: string; email: string | null; passwordHash: string },
): Promise<UserRecord> {
  return db
    .insertInto("users")
    .values({ username: user.username, email: user.email, password_hash: user.passwordHash })
    .returning(userColumns)
    .executeTakeFirstOrThrow();
}

export async function groupsOf(db: Kysely<Database>, userId: number): Promise<GroupName[]> {
  const rows = await db
    .selectFrom("user_groups")
    .select("group_name")
    .where("user_id", "=", userId)
    .orderBy("group_name")
    .execute();
  return rows.map((r) => r.group_name);
}

function membersOf(db: Kysely<Database>, group: GroupName) {
  return db.selectFrom("user_groups").where("user_groups.group_name", "=", group);
}

/** Members sort by user id, which (group_name, user_id) holds in order. */
const MEMBER_SORT_KEY: SortPart[] = [{ expr: sql.ref("user_groups.user_id"), direction: "asc" }];

/** One page of a group's members, oldest account first (keyset), and how many there are (countCapped). */
export async function listGroupMembers(db: Kysely<Database>, group: GroupName, page: PageRequest) {
  let query = membersOf(db, group)
    .innerJoin("users", "users.id", "user_groups.user_id")
    .select(["users.id", "users.username", "users.email", "users.is_admin"])
    .select(sortKeyColumn(MEMBER_SORT_KEY).as("_key"));
  if (page.cursor) query = query.where(afterCursor(MEMBER_SORT_KEY, page.cursor, page));
  for (const part of readOrder(MEMBER_SORT_KEY, page)) query = query.orderBy(part.expr, part.direction);
  const [count, rows] = await Promise.all([
    countCapped(db, membersOf(db, group)),
    query
      .limit(page.perpage + 1)
      .offset(page.offset)
      .execute(),
  ]);
  return { count, slice: toSlice(rows, page) };
}

/** Adds a membership; true when it is new, false when the user was a member already. */
export async function addGroupMember(db: Kysely<Database>, userId: number, group: GroupName) {
  const inserted = await db
    .insertInto("user_groups")
    .values({ user_id: userId, group_name: group })
    .onConflict((oc) => oc.columns(["user_id", "group_name"]).doNothing())
    .returning("user_id")
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Removes a membership; false when there was none. */
export async function removeGroupMember(db: Kysely<Database>, userId: number, group: GroupName) {
  const deleted = await db
    .deleteFrom("user_groups")
    .where("user_id", "=", userId)
    .where("group_name", "=", group)
    .returning("user_id")
    .executeTakeFirst();
  return deleted !== undefined;
}

export async function insertRefreshToken(
  db: Kysely<Database>,
  token: { familyId: string; userId: number; tokenHash: string; ttlSeconds: number },
): Promise<void> {
  await db
    .insertInto("refresh_tokens")
    .values({
      family_id: token.familyId,
      user_id: token.userId,
      token_hash: token.tokenHash,
      expires_at: sql<Date>`now() + make_interval(secs => ${token.ttlSeconds})`,
    })
    .execute();
}

/**
 * The refresh token with that hash, locked until the transaction ends, so that two refreshes of one
 * token run one after the other and the second sees the first one's `used_at`.
 */
export async function lockRefreshToken(trx: Transaction<Database>, tokenHash: string) {
  return trx
    .selectFrom("refresh_tokens")
    .select([
      "id",
      "family_id",
      "user_id",
      "used_at",
      "revoked_at",
      sql<boolean>`expires_at <= now()`.as("expired"),
    ])
    .where("token_hash", "=", tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

export async function findRefreshFamily(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom("refresh_tokens")
    .select("family_id")
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
}

export async function markRefreshTokenUsed(trx: Transaction<Database>, id: number): Promise<void> {
  await trx.updateTable("refresh_tokens").set({ used_at: sql`now()` }).where("id", "=", id).execute();
}

/** True when any token of the family was revoked (a revoke may have raced a refresh that added one). */
export async function isFamilyRevoked(db: Kysely<Database>, familyId: string): Promise<boolean> {
  const row = await db
    .selectFrom("refresh_tokens")
    .select("id")
    .where("family_id", "=", familyId)
    .where("revoked_at", "is not", null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function revokeFamily(db: Kysely<Database>, familyId: string): Promise<void> {
  await db
    .updateTable("refresh_tokens")
    .set({ revoked_at: sql`now()` })
    .where("family_id", "=", familyId)
    .where("revoked_at", "is", null)
    .execute();
}

/** Deletes failed-login counters untouched for `days`; how many. */
export async function deleteStaleLoginFailures(db: Kysely<Database>, days: number): Promise<number> {
  const cutoff = sql<Date>`now() - make_interval(days => ${days})`;
  const result = await db
    .deleteFrom("login_failures")
    .where("last_failed_at", "<", cutoff)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes refresh tokens expired for `days`; how many. */
export async function deleteExpiredRefreshTokens(db: Kysely<Database>, days: number): Promise<number> {
  const cutoff = sql<Date>`now() - make_interval(days => ${days})`;
  const result = await db.deleteFrom("refresh_tokens").where("expires_at", "<", cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
