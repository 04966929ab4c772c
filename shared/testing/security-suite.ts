import { type Kysely, sql } from "kysely";
import type { Database } from "../db/types.ts";
import type { OpenApiDocument } from "../openapi/generate.ts";
import type { Role } from "./actors.ts";

// The checks every protected route must pass, driven by the route table itself: each operation of an
// app's OpenAPI document (what `GET /openapi.json` serves, built from the routes' own `describe`,
// `requireAuth` and `requireRole`) says whether it needs a token and which roles it lets in. A route
// added tomorrow is in that table the day it is added, so it is checked without anyone listing it.

/** One operation of the route table, as the suite needs it. */
export interface TableOperation {
  method: string;
  /** The OpenAPI path, `{name}` for each path parameter. */
  path: string;
  /** The roles any of which the operation lets in; null for a public operation. */
  roles: readonly string[] | null;
}

/** Every operation of an app's OpenAPI document, in the document's order. */
export function operationsOf(document: OpenApiDocument): TableOperation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods as Record<string, { security?: unknown[]; "x-roles"?: string[] }>).map(
      ([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        roles: operation.security?.length ? [...new Set(operation["x-roles"] ?? [])] : null,
      }),
    ),
  );
}

/** `GET /api/orders/{id}`: how failures and lists name an operation. */
export function operationName(op: Pick<TableOperation, "method" | "path">): string {
  return `${op.method} ${op.path}`;
}

/**
 * The kinds of caller (the actors of shared/testing/actors.ts), and the roles each holds as the
 * contract states them (every signed-in user is a customer; an admin may do everything a manager may).
 * Written out here rather than asked of the code that enforces it, so a wrong rule there shows up as a
 * failed check.
 */
export const ACTOR_ROLES = {
  customer: ["customer"],
  manager: ["customer", "manager"],
  crew: ["customer", "delivery-crew"],
  admin: ["customer", "manager", "admin"],
} as const satisfies Record<Role, readonly string[]>;

export type ActorKind = Role;

/** The kinds of caller an operation must refuse with 403: those that hold none of its roles. */
export function refusedActors(op: TableOperation): ActorKind[] {
  const roles = op.roles ?? [];
  return (Object.keys(ACTOR_ROLES) as ActorKind[]).filter(
    (kind) => roles.length > 0 && !ACTOR_ROLES[kind].some((role) => roles.includes(role)),
  );
}

/**
 * The path with each `{name}` replaced by `ids(name, path)`: the id of a row the test made, so a
 * refusal cannot hide behind a 404. An unknown parameter throws, naming it: a new route with a new
 * kind of parameter needs a row made for it.
 */
export function fillPath(path: string, ids: (param: string, path: string) => string | number | undefined) {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const id = ids(name, path);
    if (id === undefined) throw new Error(`security suite: no row made for {${name}} in ${path}`);
    return encodeURIComponent(String(id));
  });
}

/** Row counts of every table of the schema, by table: what a refused request must leave as it was. */
export async function rowCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
    order by table_name`.execute(db);
  const counts = await sql<{ name: string; n: number }>`${sql.join(
    tables.rows.map(
      (t) => sql`select ${t.table_name}::text as name, count(*)::int as n from ${sql.table(t.table_name)}`,
    ),
    sql` union all `,
  )}`.execute(db);
  return Object.fromEntries(counts.rows.map((r) => [r.name, r.n]));
}

/** An answer as the checks read it. */
export interface SuiteAnswer {
  status: number;
  contentType: string | null;
}

/** How the suite calls the system: method, filled path and an Authorization header value (or none). */
export type SuiteSend = (
  method: string,
  path: string,
  authorization: string | undefined,
) => Promise<SuiteAnswer>;

export interface SecurityCredentials {
  /** A valid access token of each kind of caller. */
  tokens: Record<ActorKind, string>;
  /** Authorization values that must be refused with 401, by what is wrong with them. */
  badTokens: Record<string, string>;
}

/**
 * Runs the suite's checks against one protected operation: no token → 401, each bad token → 401, each
 * kind of caller that holds none of its roles → 403; every answer problem+json, and the database's row
 * counts the same after each request as before. Answers what failed, one line each (empty: all held).
 */
export async function checkProtectedOperation(
  op: TableOperation,
  path: string,
  send: SuiteSend,
  credentials: SecurityCredentials,
  db: Kysely<Database>,
): Promise<string[]> {
  const failures: string[] = [];
  const attempts: [string, string | undefined, number][] = [
    ["no token", undefined, 401],
    ...Object.entries(credentials.badTokens).map(([label, value]): [string, string, number] => [
      label,
      value,
      401,
    ]),
    ...refusedActors(op).map((kind): [string, string, number] => [
      `a ${kind}'s token`,
      `Bearer ${credentials.tokens[kind]}`,
      403,
    ]),
  ];
  for (const [label, authorization, expected] of attempts) {
    const before = await rowCounts(db);
    const answer = await send(op.method, path, authorization);
    const after = await rowCounts(db);
    const name = `${operationName(op)} with ${label}`;
    if (answer.status !== expected) failures.push(`${name}: answered ${answer.status}, not ${expected}`);
    if (!answer.contentType?.startsWith("application/problem+json"))
      failures.push(`${name}: answered ${answer.contentType ?? "no content type"}, not problem+json`);
    const changed = Object.keys({ ...before, ...after }).filter((table) => before[table] !== after[table]);
    if (changed.length > 0) failures.push(`${name}: changed the rows of ${changed.join(", ")}`);
  }
  return failures;
}
