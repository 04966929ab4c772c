import { expect, describe as group, it } from "vitest";
import { requireAuth, requireRole } from "../auth/middleware.ts";
import { createFunctionApp } from "../http/create-app.ts";
import { describe } from "../openapi/describe.ts";
import { functionDocument } from "../openapi/serve.ts";
import { quietLogger } from "./event-fixtures.ts";
import { createUser } from "./fixtures.ts";
import { createTestKeys } from "./keys.ts";
import { call } from "./request.ts";
import {
  ACTOR_ROLES,
  type ActorKind,
  checkProtectedOperation,
  fillPath,
  operationsOf,
  refusedActors,
  type SuiteSend,
} from "./security-suite.ts";
import { useTestDb } from "./test-db.ts";

const t = useTestDb();

/**
 * An app with one route per way of getting security wrong, each documented as manager-only: a guard
 * that was forgotten, a guard that lets everyone with a token in, and a guard placed after a write.
 */
async function brokenApp() {
  const keys = await createTestKeys();
  const app = createFunctionApp({ db: t.db, logger: quietLogger, verify: keys.verify });
  const managersOnly = describe({ summary: "x", roles: ["manager"], responses: { 204: null } });
  app.post("/unguarded", managersOnly, (c) => c.body(null, 204));
  app.post("/any-token", managersOnly, requireAuth(keys.verify), (c) => c.body(null, 204));
  app.post(
    "/writes-first",
    managersOnly,
    async (_c, next) => {
      await createUser(t.db);
      await next();
    },
    requireAuth(keys.verify),
    requireRole("manager"),
    (c) => c.body(null, 204),
  );
  app.post("/guarded", managersOnly, requireAuth(keys.verify), requireRole("manager"), (c) =>
    c.body(null, 204),
  );
  const tokens = {} as Record<ActorKind, string>;
  for (const kind of Object.keys(ACTOR_ROLES) as ActorKind[]) {
    const user = await createUser(t.db, {
      groups: kind === "manager" ? ["manager"] : kind === "crew" ? ["delivery-crew"] : [],
      isAdmin: kind === "admin",
    });
    tokens[kind] = await keys.tokenFor(user);
  }
  const send: SuiteSend = async (method, path, authorization) => {
    const res = await call(app, method, path, { headers: authorization ? { authorization } : {} });
    return { status: res.status, contentType: res.headers.get("content-type") };
  };
  const credentials = { tokens, badTokens: { "a malformed token": "Bearer not-a-token" } };
  return { app, send, credentials };
}

group("the security suite's checks", () => {
  it("read each operation's roles from the document the app serves", async () => {
    const { app } = await brokenApp();
    const ops = operationsOf(functionDocument(app, "test"));
    expect(ops).toContainEqual({ method: "POST", path: "/guarded", roles: ["manager"] });
    expect(refusedActors({ method: "POST", path: "/guarded", roles: ["manager"] })).toEqual([
      "customer",
      "crew",
    ]);
    expect(refusedActors({ method: "GET", path: "/x", roles: ["customer"] })).toEqual([]);
    expect(refusedActors({ method: "GET", path: "/x", roles: ["delivery-crew"] })).toEqual([
      "customer",
      "manager",
      "admin",
    ]);
  });

  it("pass a route guarded as its document says", async () => {
    const { send, credentials } = await brokenApp();
    const op = { method: "POST", path: "/guarded", roles: ["manager"] };
    expect(await checkProtectedOperation(op, op.path, send, credentials, t.db)).toEqual([]);
  });

  it.each([
    ["/unguarded", /with no token: answered 204, not 401/],
    ["/any-token", /with a customer's token: answered 204, not 403/],
    ["/writes-first", /with no token: changed the rows of user/],
  ])("catch %s", async (path, failure) => {
    const { send, credentials } = await brokenApp();
    const op = { method: "POST", path, roles: ["manager"] };
    const failures = await checkProtectedOperation(op, path, send, credentials, t.db);
    expect(failures.join("\n")).toMatch(failure);
  });

  it("name a path parameter no row was made for", () => {
    expect(fillPath("/api/orders/{id}", () => 7)).toBe("/api/orders/7");
    expect(() => fillPath("/api/things/{thingId}", () => undefined)).toThrow(/no row made for \{thingId\}/);
  });
});
