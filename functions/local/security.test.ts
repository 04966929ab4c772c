import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAccessToken } from "../../shared/auth/sign.ts";
import { upsertDeadLetter } from "../../shared/events/dead-letters/store.ts";
import { functionDocument } from "../../shared/openapi/serve.ts";
import { createActor } from "../../shared/testing/actors.ts";
import { createMenuItem } from "../../shared/testing/fixtures.ts";
import { createTestKeys, TEST_AUDIENCE, TEST_ISSUER, useTestDb } from "../../shared/testing/index.ts";
import {
  checkProtectedOperation,
  fillPath,
  operationName,
  operationsOf,
  rowCounts,
  type SecurityCredentials,
  type SuiteSend,
  type TableOperation,
} from "../../shared/testing/security-suite.ts";
import { FUNCTIONS } from "../registry.ts";
import { type E2eStack, type HttpClient, httpClient, startE2eStack } from "./e2e-support.ts";

// One security suite over every route of every function, read from the route table each app serves as
// GET /openapi.json (see shared/testing/security-suite.ts): a protected operation refuses no token, a
// bad token and each kind of caller that holds none of its roles, and changes nothing while refusing.
// Callers are the test actors (shared/testing/actors.ts) with tokens the stack's own key signed.

const t = useTestDb();
let e2e: E2eStack;
let client: HttpClient;
let credentials: SecurityCredentials;
let ids: (param: string, path: string) => string | number | undefined;

/**
 * The operations anyone may call without a token. Written out on purpose: making a route public is a
 * decision, and a route that turns up here unlisted fails the suite. A protected route needs no line.
 */
const PUBLIC: Record<string, readonly string[]> = {
  auth: [
    "GET /.well-known/jwks.json",
    "POST /api-token-auth",
    "POST /api/api-token-auth",
    "POST /api/token",
    "POST /api/token/refresh",
    "POST /api/token/revoke",
    "POST /api/users",
    "POST /auth/token/login",
    "POST /auth/users",
    "POST /token/login",
  ],
  menu: [
    "GET /api/categories",
    "GET /api/categories/{id}",
    "GET /api/menu-items",
    "GET /api/menu-items/{id}",
  ],
};

/** Routes every function serves outside its API: not in the document, never routed by the gateway. */
const INTERNAL = ["POST /events", "POST /events/dead-letter", "GET /metrics"];
/** Routes every function and the gateway serve to anyone, outside the API document. */
const PROBES = ["GET /healthz", "GET /readyz", "GET /openapi.json"];

beforeAll(async () => {
  e2e = await startE2eStack(t.db, { env: { THROTTLE_LIMIT: "0" } });
  client = httpClient(e2e.baseUrl);
  const [customer, manager, crew, admin, owner] = await Promise.all(
    (["customer", "manager", "crew", "admin", "customer"] as const).map((role) =>
      createActor(t.db, e2e.keys, role),
    ),
  );
  const tokens = {
    customer: customer!.token,
    manager: manager!.token,
    crew: crew!.token,
    admin: admin!.token,
  };
  credentials = { tokens, badTokens: await badTokens(customer!.principal) };
  ids = await rowsForPathParameters({
    customer: customer!.principal,
    crew: crew!.principal,
    owner: owner!.principal,
  });
});
afterAll(async () => {
  await e2e?.close();
});

/** Authorization values that must each be answered 401, by what is wrong with them. */
async function badTokens(user: { id: number; username: string }): Promise<Record<string, string>> {
  const anHourAgo = new Date(Date.now() - 3_600_000);
  const expired = await signAccessToken(
    { userId: user.id, username: user.username, groups: [], isAdmin: false },
    { ...e2e.keys, issuer: TEST_ISSUER, audience: TEST_AUDIENCE, ttlSeconds: 60, now: () => anHourAgo },
  );
  return {
    "a malformed token": "Bearer not-a-token",
    "a token signed with another key": `Bearer ${await (await createTestKeys()).tokenFor(user)}`,
    "an expired token": `Bearer ${expired}`,
    "an unknown scheme": `Basic ${Buffer.from(`${user.username}:x`).toString("base64")}`,
  };
}

/**
 * A row behind every path parameter the route table has, so each refusal is a refusal and not a 404:
 * a menu item (and its category), an order of another customer assigned to the crew member with its
 * delivery, a dead letter of each function, and a group member.
 */
async function rowsForPathParameters(users: {
  customer: { id: number };
  crew: { id: number };
  owner: { id: number };
}) {
  const item = await createMenuItem(t.db);
  const order = await t.db
    .insertInto("orders")
    .values({ user_id: users.owner.id, delivery_crew_id: users.crew.id, status: "assigned", total: "9.50" })
    .returning("id")
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto("deliveries")
    .values({
      order_id: order.id,
      delivery_crew_id: users.crew.id,
      status: "assigned",
      assigned_at: new Date(),
      picked_up_at: null,
      delivered_at: null,
      cancelled_at: null,
    })
    .execute();
  const letters: Record<string, number> = {};
  for (const { name } of FUNCTIONS) {
    letters[name] = await upsertDeadLetter(t.db, {
      consumer: name,
      eventId: crypto.randomUUID(),
      attributes: { type: "tavola.menu.item.changed", source: "/tavola/menu" },
      data: null,
      body: new TextEncoder().encode("{}"),
      contentType: "application/json",
    });
  }
  const byParam: Record<string, string | number> = {
    group: "manager",
    user: users.customer.id,
    menuItemId: item.id,
    orderId: order.id,
  };
  return (param: string, path: string) => {
    if (param !== "id") return byParam[param];
    const letter = /^\/api\/dead-letters\/([^/]+)\//.exec(path);
    if (letter) return letters[letter[1]!];
    if (path.startsWith("/api/categories/")) return item.category_id;
    if (path.startsWith("/api/menu-items/")) return item.id;
    if (/^\/api\/(cart\/)?orders\//.test(path)) return order.id;
    return undefined;
  };
}

const send: SuiteSend = async (method, path, authorization) => {
  const answer = await client.request(method, path, {
    headers: authorization ? { authorization } : {},
    ...(method === "GET" || method === "DELETE" ? {} : { json: {} }),
  });
  return { status: answer.status, contentType: answer.headers.get("content-type") };
};

/** A function's route table, as its app serves it at GET /openapi.json. */
function tableOf(name: string): TableOperation[] {
  return operationsOf(functionDocument(e2e.stack.apps[name]!, name));
}

describe("the security suite's route list", () => {
  it("is every route each function's app registers, less the internal ones and the probes", () => {
    for (const { name } of FUNCTIONS) {
      const registered = e2e.stack.apps[name]!.routes.filter((r) => r.method !== "ALL" && r.path !== "/*")
        .map(
          (r) =>
            `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}").replace(/(.)\/$/, "$1")}`,
        )
        .filter((route) => !INTERNAL.includes(route) && !PROBES.includes(route));
      expect([...new Set(registered)].sort(), name).toEqual(tableOf(name).map(operationName).sort());
    }
  });

  it("is the gateway's published document, operation for operation", async () => {
    const merged = await client.request("GET", "/openapi.json");
    const walked = FUNCTIONS.flatMap(({ name }) => tableOf(name).map(operationName));
    expect(operationsOf(merged.body).map(operationName).sort()).toEqual(walked.sort());
  });
});

describe.each(FUNCTIONS.map((f) => f.name))("the %s function", (name) => {
  it("refuses no token, bad tokens and every role it does not let in, on every protected route", async () => {
    const protectedOps = tableOf(name).filter((op) => op.roles !== null);
    expect(protectedOps.length).toBeGreaterThan(0); // every function has at least its dead-letter routes
    const failures: string[] = [];
    for (const op of protectedOps) {
      failures.push(...(await checkProtectedOperation(op, fillPath(op.path, ids), send, credentials, t.db)));
    }
    expect(failures).toEqual([]);
  });

  it("leaves public exactly the listed operations, each answering without a token", async () => {
    const publicOps = tableOf(name).filter((op) => op.roles === null);
    expect(publicOps.map(operationName).sort()).toEqual([...(PUBLIC[name] ?? [])].sort());
    for (const op of publicOps) {
      const before = await rowCounts(t.db);
      const answer = await send(op.method, fillPath(op.path, ids), undefined);
      expect([401, 403], operationName(op)).not.toContain(answer.status);
      expect(await rowCounts(t.db), operationName(op)).toEqual(before);
    }
  });

  it("refuses its event routes without the broker's token, and the gateway never routes them", async () => {
    const app = e2e.stack.apps[name]!;
    for (const route of INTERNAL) {
      const [method, path] = route.split(" ") as [string, string];
      expect((await client.request(method, path)).status, `gateway ${route}`).toBe(404);
      if (method !== "POST") continue;
      const before = await rowCounts(t.db);
      const res = await app.request(path, {
        method,
        headers: { "content-type": "application/json", authorization: `Bearer ${credentials.tokens.admin}` },
        body: "{}",
      });
      expect(res.status, `${name} ${route} with a user's token`).toBe(401);
      expect(await rowCounts(t.db)).toEqual(before);
    }
  });
});

describe("the probes", () => {
  it("answer anyone, on the gateway and on every function", async () => {
    for (const route of PROBES) {
      const [method, path] = route.split(" ") as [string, string];
      expect((await client.request(method, path)).status, `gateway ${route}`).toBe(200);
      for (const { name } of FUNCTIONS) {
        expect((await e2e.stack.apps[name]!.request(path)).status, `${name} ${route}`).toBe(200);
      }
    }
  });
});
