import type { Hono } from "hono";
import type { Kysely } from "kysely";
import type { Principal } from "../auth/principal.ts";
import type { Database, GroupName } from "../db/types.ts";
import type { AppEnv } from "../http/env.ts";
import { createUser, uniqueName } from "./fixtures.ts";
import type { TestKeys } from "./keys.ts";
import { call } from "./request.ts";

// The one way tests make the people who call the API: each role is a user in a group (or an admin),
// with a token that says so. Functions other than auth insert the user and sign its token with the test
// keys; auth's own tests register and log in over HTTP, since that is what they test.

/** Who calls: a customer, a manager, a delivery crew member or an admin. */
export type Role = "customer" | "manager" | "crew" | "admin";

/** A user and an access token for them. */
export interface Actor {
  principal: Principal;
  token: string;
}

const ROLES: Record<Role, { groups: GroupName[]; isAdmin: boolean }> = {
  customer: { groups: [], isAdmin: false },
  manager: { groups: ["manager"], isAdmin: false },
  crew: { groups: ["delivery-crew"], isAdmin: false },
  admin: { groups: [], isAdmin: true },
};

/** A new user in `role`, inserted into the database, with a token signed by the test keys. */
export async function createActor(
  db: Kysely<Database>,
  keys: TestKeys,
  role: Role = "customer",
): Promise<Actor> {
  const principal = await createUser(db, ROLES[role]);
  return { principal, token: await keys.tokenFor(principal) };
}

/** Makers of a new actor in each role; every call makes a new user. */
export function testActors(db: Kysely<Database>, keys: () => TestKeys) {
  const as = (role: Role) => () => createActor(db, keys(), role);
  return { customer: as("customer"), manager: as("manager"), crew: as("crew"), admin: as("admin") };
}

/** A user registered through the auth app (one real scrypt hash), with the credentials to log in. */
export async function registerActor(
  app: Hono<AppEnv>,
  overrides: { username?: string; password?: string } = {},
): Promise<{ id: number; username: string; password: string }> {
  const username = overrides.username ?? uniqueName("u");
  const password = overrides.password ?? "correct horse battery";
  const res = await call(app, "POST", "/api/users", { json: { username, password } });
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id as number, username, password };
}
