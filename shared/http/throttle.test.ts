import { describe, expect, it } from "vitest";
import { baseConfigSchema, localConfigSchema } from "../config/schema.ts";
import type { Logger } from "../log.ts";
import { createTestKeys, useTestDb } from "../testing/index.ts";
import { createFunctionApp } from "./create-app.ts";

// Issue 12, findings 2 and 4: a client cannot pick its own throttle key, neither with a token that does
// not verify nor with an X-Forwarded-For it wrote itself.

const t = useTestDb();
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
const keys = await createTestKeys();

/** The `env` @hono/node-server hands an app: the incoming request, with its socket's address. */
const fromAddress = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

function limitedApp(trustProxy: boolean, limit = 2) {
  const app = createFunctionApp({
    db: t.db,
    logger: silent,
    verify: keys.verify,
    throttle: { limit, windowSeconds: 60, trustProxy },
  });
  app.get("/api/ping", (c) => c.json({ ok: true }));
  app.post("/auth/users", (c) => c.json({ ok: true }, 201));
  return app;
}

async function status(
  app: ReturnType<typeof limitedApp>,
  address: string,
  headers: Record<string, string> = {},
  path = "/api/ping",
) {
  return (await app.request(path, { headers }, fromAddress(address))).status;
}

describe("throttling keyed by who the client is", () => {
  it("counts a junk Authorization header as its sender's address (finding 2)", async () => {
    const app = limitedApp(false);
    expect(await status(app, "10.1.0.1")).toBe(200);
    expect(await status(app, "10.1.0.1")).toBe(200);
    expect(await status(app, "10.1.0.1")).toBe(429);
    for (let i = 0; i < 5; i++) {
      const junk = { authorization: `Bearer junk${crypto.randomUUID()}` };
      expect(await status(app, "10.1.0.1", junk)).toBe(429);
    }
    // A token signed by another key (or expired, or of another issuer) verifies no better than junk.
    const stranger = await createTestKeys();
    const forged = await stranger.tokenFor({ id: 77, username: "someone" });
    expect(await status(app, "10.1.0.1", { authorization: `Bearer ${forged}` })).toBe(429);
  });

  it("keys a verified token by its subject, wherever it comes from", async () => {
    const app = limitedApp(false);
    const alice = { authorization: `Bearer ${await keys.tokenFor({ id: 501, username: "alice" })}` };
    const alice2 = { authorization: `Bearer ${await keys.tokenFor({ id: 501, username: "alice" })}` };
    const bob = { authorization: `Bearer ${await keys.tokenFor({ id: 502, username: "bob" })}` };
    expect(await status(app, "10.2.0.1", alice)).toBe(200);
    // A second token of the same user, from another address: the same bucket.
    expect(await status(app, "10.2.0.2", alice2)).toBe(200);
    expect(await status(app, "10.2.0.3", alice)).toBe(429);
    // Another user behind the same address is not held back by the first one.
    expect(await status(app, "10.2.0.1", bob)).toBe(200);
    // Nor is the address itself, anonymously.
    expect(await status(app, "10.2.0.1")).toBe(200);
  });

  it("ignores X-Forwarded-For unless TRUST_PROXY is set, and TRUST_PROXY is off by default (finding 4)", async () => {
    expect(baseConfigSchema.parse({}).TRUST_PROXY).toBe(false);
    const app = limitedApp(baseConfigSchema.parse({}).TRUST_PROXY);
    expect(await status(app, "10.3.0.1", { "x-forwarded-for": "192.0.2.1" })).toBe(200);
    expect(await status(app, "10.3.0.1", { "x-forwarded-for": "192.0.2.2" })).toBe(200);
    expect(await status(app, "10.3.0.1", { "x-forwarded-for": "192.0.2.3" })).toBe(429);
  });

  it("behind the trusted gateway, takes the address it wrote; a value that is no address counts as the hop's", async () => {
    const app = limitedApp(true);
    const via = (xff: string) => status(app, "10.4.0.9", { "x-forwarded-for": xff });
    expect(await via("198.51.100.1")).toBe(200);
    expect(await via("198.51.100.1, 10.4.0.8")).toBe(200);
    expect(await via("198.51.100.1")).toBe(429);
    expect(await via("198.51.100.2")).toBe(200);
    expect(await via("not-an-address")).toBe(200);
    expect(await via("also not one")).toBe(200);
    expect(await via("garbage")).toBe(429);
  });

  it("counts IPv6 clients by their /64, so a client cannot rotate through its own block", async () => {
    const app = limitedApp(false);
    expect(await status(app, "2001:db8:1:2::1")).toBe(200);
    expect(await status(app, "2001:db8:1:2:aaaa::7")).toBe(200);
    expect(await status(app, "2001:0db8:0001:0002:ffff::1")).toBe(429);
    expect(await status(app, "2001:db8:1:3::1")).toBe(200);
  });

  it("throttles routes outside /api (registration, logins) and leaves probes and /events alone (finding 3)", async () => {
    const app = limitedApp(false, 1);
    expect(await status(app, "10.5.0.1", {}, "/auth/users")).toBe(405); // GET: not a method of it, still counted
    const post = async (path: string) =>
      (await app.request(path, { method: "POST" }, fromAddress("10.5.0.1"))).status;
    expect(await post("/auth/users")).toBe(429);
    for (let i = 0; i < 3; i++) expect(await status(app, "10.5.0.1", {}, "/healthz")).toBe(200);
    expect(await post("/events")).toBe(404);
  });

  it("npm start listens on loopback unless HOST says otherwise; a function alone on every address (finding 4)", () => {
    expect(localConfigSchema.parse({}).HOST).toBe("127.0.0.1");
    expect(localConfigSchema.parse({ HOST: "0.0.0.0" }).HOST).toBe("0.0.0.0");
    expect(baseConfigSchema.parse({}).HOST).toBe("0.0.0.0");
  });
});
