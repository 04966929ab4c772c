import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { signAccessToken } from "../../shared/auth/sign.ts";
import type { GroupName } from "../../shared/db/types.ts";
import { pruneFeed } from "../../shared/live/feed.ts";
import { DEFAULT_LIVE_SETTINGS, type LiveSettings } from "../../shared/live/settings.ts";
import { createApp } from "../../shared/runtime/assemble.ts";
import { loadOrCreateLocalKeys } from "../../shared/runtime/local-keys.ts";
import { assembleTest, pingTick, postEvent, quietLogger } from "../../shared/testing/event-fixtures.ts";
import { freePort } from "../../shared/testing/free-port.ts";
import { call, createTestKeys, createUser, useTestDb } from "../../shared/testing/index.ts";
import { TEST_AUDIENCE, TEST_ISSUER, testKeysFrom } from "../../shared/testing/keys.ts";
import { sseReader } from "../../shared/testing/sse.ts";
import { orderFunction } from "./definition.ts";
import { createOrderFeedPoller } from "./live.ts";
import { fillCart } from "./test-support.ts";

const t = useTestDb();

/** Every stream's first block: the reconnection delay and the cursor it starts from. */
const OPENING = { retry: 2000, id: expect.stringMatching(/^\d+-\d+$/) };

/** Two pods of the order function over one database (as two Knative replicas), and users to call them. */
async function cluster(live: Partial<LiveSettings> = {}, stopping?: AbortSignal) {
  const keys = await createTestKeys();
  const settings: LiveSettings = { ...DEFAULT_LIVE_SETTINGS, pollMs: 20, ...live };
  const pod = () => {
    const deps = { db: t.db, logger: quietLogger, verify: keys.verify, live: settings, stopping };
    const poller = createOrderFeedPoller(deps);
    return { app: createApp(orderFunction, { ...deps, feedPoller: poller }), poller };
  };
  const [a, b] = [pod(), pod()];
  const user = async (groups: GroupName[] = []) => {
    const principal = await createUser(t.db, { groups });
    return { id: principal.id, token: await keys.tokenFor(principal) };
  };
  type User = Awaited<ReturnType<typeof user>>;
  const stream = async (
    via: typeof a,
    who: User | undefined,
    path = "/api/orders/stream",
    lastEventId?: string,
  ) => {
    const headers: Record<string, string> = {};
    if (who) headers.authorization = `Bearer ${who.token}`;
    if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
    return via.app.request(path, { headers });
  };
  const place = async (via: typeof a, who: User) => {
    await fillCart(t.db, who.id, [{ price: "4.00", quantity: 2 }]);
    const res = await call(via.app, "POST", "/api/orders", { token: who.token });
    expect(res.status).toBe(201);
    return res.body.id as number;
  };
  /**
   * The frame that showed a new order of `who`'s (placed through `via`) on a stream from pod a, closed
   * since: the cursor a client that went away resumes from.
   */
  const seenOrder = async (via: typeof a, who: User) => {
    const first = sseReader(await stream(a, who));
    const id = await place(via, who);
    const [seen] = await first.untilEvent("order", (o) => o.id === id);
    await first.cancel();
    return seen!;
  };
  return {
    a,
    b,
    user,
    /** The user with an access token that expires after `seconds`. */
    briefly: async (who: User, seconds: number): Promise<User> => ({
      ...who,
      token: await signAccessToken(
        { userId: who.id, username: `user-${who.id}`, groups: [], isAdmin: false },
        { ...keys, issuer: TEST_ISSUER, audience: TEST_AUDIENCE, ttlSeconds: seconds },
      ),
    }),
    stream,
    place,
    seenOrder,
    patch: async (via: typeof a, who: User, id: number, json: object) =>
      call(via.app, "PATCH", `/api/orders/${id}`, { token: who.token, json }),
  };
}

const feedRows = async () =>
  (await t.db.selectFrom("change_feed").select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow())
    .n;

describe("GET /api/orders/stream", () => {
  it("answers 401 without a token or with a bad one, and subscribes nothing", async () => {
    const c = await cluster();
    for (const headers of [{}, { authorization: "Bearer not-a-token" }]) {
      const res = await c.a.app.request("/api/orders/stream", { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    expect(c.a.poller.state()).toMatchObject({ subscribers: 0, active: false, polls: 0 });
  });

  it("shows a change made through another pod, as GET /api/orders/{id} shows the order", async () => {
    const c = await cluster();
    const me = await c.user();
    const stream = sseReader(await c.stream(c.a, me));
    expect(await stream.next()).toEqual(OPENING);
    const id = await c.place(c.b, me);
    const [frame] = await stream.untilEvent("order", (o) => o.id === id);
    const get = await call(c.b.app, "GET", `/api/orders/${id}`, { token: me.token });
    expect(JSON.parse(frame!.data!)).toEqual(get.body);
    expect(frame!.id).toMatch(/^\d+-\d+$/);
    await stream.cancel();
  });

  it("shows each caller only the orders they may see: own, assigned, or all for a manager", async () => {
    const c = await cluster();
    const [x, y, manager] = [await c.user(), await c.user(), await c.user(["manager"])];
    const [crew, crew2] = [await c.user(["delivery-crew"]), await c.user(["delivery-crew"])];
    const streams = {
      x: sseReader(await c.stream(c.a, x)),
      y: sseReader(await c.stream(c.a, y)),
      crew: sseReader(await c.stream(c.b, crew)),
      crew2: sseReader(await c.stream(c.b, crew2)),
      manager: sseReader(await c.stream(c.a, manager)),
    };
    const ox = await c.place(c.b, x);
    const oy = await c.place(c.b, y);
    expect((await c.patch(c.b, manager, ox, { delivery_crew: crew.id })).status).toBe(200);
    expect((await c.patch(c.b, manager, ox, { delivery_crew: crew2.id })).status).toBe(200);

    // Each stream's frames come in feed order, so a frame it should not get would come before these.
    const xs = await streams.x.untilEvent("order", (o) => o.delivery_crew === crew2.id);
    expect(new Set(xs.map((f) => JSON.parse(f.data!).id))).toEqual(new Set([ox]));
    const ys = await streams.y.untilEvent("order", (o) => o.id === oy);
    expect(ys.map((f) => JSON.parse(f.data!).id)).toEqual([oy]);
    const crews = await streams.crew.until((f) => f.event === "order-deleted");
    expect(crews.filter((f) => f.event).map((f) => [f.event, JSON.parse(f.data!)])).toEqual([
      ...crews
        .filter((f) => f.event === "order")
        .map(() => ["order", expect.objectContaining({ id: ox, delivery_crew: crew.id })]),
      ["order-deleted", { id: ox }],
    ]);
    const crew2s = await streams.crew2.untilEvent("order", (o) => o.id === ox);
    expect(JSON.parse(crew2s[0]!.data!)).toMatchObject({
      id: ox,
      delivery_crew: crew2.id,
      status: "assigned",
    });
    const managers = await streams.manager.untilEvent("order", (o) => o.delivery_crew === crew2.id);
    expect(new Set(managers.map((f) => JSON.parse(f.data!).id))).toEqual(new Set([ox, oy]));
    for (const s of Object.values(streams)) await s.cancel();
  });

  it("resumes after Last-Event-ID with exactly the changes missed, then goes on live", async () => {
    const c = await cluster();
    const me = await c.user();
    const seen = await c.seenOrder(c.b, me);

    const o2 = await c.place(c.b, me);
    const o3 = await c.place(c.b, me);
    const resumed = sseReader(await c.stream(c.b, me, "/api/orders/stream", seen.id));
    expect(await resumed.next()).toEqual(OPENING);
    const missed = await resumed.untilEvent("order", (o) => o.id === o3);
    expect(missed.map((f) => JSON.parse(f.data!).id)).toEqual([o2, o3]);
    const o4 = await c.place(c.a, me);
    const live = await resumed.untilEvent("order", (o) => o.id === o4);
    expect(live.map((f) => JSON.parse(f.data!).id)).toEqual([o4]);
    const ids = [seen, ...missed, ...live].map((f) => f.id!);
    expect(new Set(ids).size).toBe(ids.length);
    await resumed.cancel();
  });

  it("answers a cursor the feed no longer covers (or no cursor at all) with reset, then carries on from now", async () => {
    const c = await cluster();
    const me = await c.user();
    const seen = await c.seenOrder(c.a, me);
    await c.place(c.a, me); // missed, and then pruned: the client can no longer catch up with it
    await pruneFeed(t.db, "order", new Date(Date.now() + 60_000));

    for (const cursor of [seen.id!, "not-a-cursor"]) {
      const stream = sseReader(await c.stream(c.a, me, "/api/orders/stream", cursor));
      expect(await stream.next()).toEqual(OPENING);
      const reset = await stream.next();
      expect(reset).toMatchObject({ event: "reset", data: "{}" });
      expect(reset!.id).toMatch(/^\d+-\d+$/);
      await stream.cancel();
      // The reset's id is "now": resuming with it before anything changed is no reset again.
      const quiet = sseReader(await c.stream(c.a, me, "/api/orders/stream", reset!.id));
      expect(await quiet.next()).toEqual(OPENING);
      const o = await c.place(c.b, me);
      const frames = await quiet.until((f) => f.event === "order" && JSON.parse(f.data!).id === o);
      expect(frames.map((f) => f.event)).toEqual(["order"]);
      await quiet.cancel();
    }
  });

  it("names its starting cursor first, so a change between a quiet stream and the next is not missed", async () => {
    const c = await cluster({ maxStreamMs: 50 });
    const me = await c.user();
    const quiet = await sseReader(await c.stream(c.a, me)).rest();
    expect(quiet).toEqual([OPENING]); // ended before any change: only the opening block
    const between = await c.place(c.b, me);
    const next = sseReader(await c.stream(c.a, me, "/api/orders/stream", quiet[0]!.id));
    expect(await next.next()).toEqual(OPENING);
    const frames = await next.untilEvent("order", (o) => o.id === between);
    expect(frames.map((f) => JSON.parse(f.data!).id)).toEqual([between]);
    await next.cancel();
  });

  it("ends when the caller's access token expires; with a fresh token it resumes from its cursor", async () => {
    const c = await cluster(); // streams live 240 s: only the token's expiry can end this one
    const me = await c.user();
    const expiring = sseReader(await c.stream(c.a, await c.briefly(me, 2)));
    const frames = await expiring.rest();
    expect(frames[0]).toEqual(OPENING);
    await c.a.poller.settled();
    expect(c.a.poller.state().subscribers).toBe(0);
    const between = await c.place(c.b, me);
    const resumed = sseReader(await c.stream(c.a, me, "/api/orders/stream", frames.at(-1)!.id));
    expect(await resumed.next()).toEqual(OPENING);
    const missed = await resumed.untilEvent("order", (o) => o.id === between);
    expect(missed.map((f) => JSON.parse(f.data!).id)).toEqual([between]);
    await resumed.cancel();
  });

  it("ends every open stream and stops the poller when the runtime stops, and opens none after", async () => {
    const stopping = new AbortController();
    const c = await cluster({}, stopping.signal);
    const [me, manager] = [await c.user(), await c.user(["manager"])];
    const streams = [sseReader(await c.stream(c.a, me)), sseReader(await c.stream(c.a, manager))];
    const id = await c.place(c.b, me);
    await streams[1]!.untilEvent("order", (o) => o.id === id);
    expect(c.a.poller.state().subscribers).toBe(2);

    stopping.abort();
    for (const stream of streams) await stream.rest(); // resolves only because the server ended it
    await c.a.poller.settled();
    expect(c.a.poller.state()).toMatchObject({ subscribers: 0, active: false });
    // A request that still arrives on a kept-alive connection gets its cursor and the end at once.
    expect(await sseReader(await c.stream(c.a, me)).rest()).toEqual([OPENING]);
    expect(c.a.poller.state()).toMatchObject({ subscribers: 0, active: false });
  });

  it("says retry first, sends keep-alive comments, and asks proxies not to buffer or transform", async () => {
    const c = await cluster({ keepAliveMs: 10 });
    const me = await c.user();
    const res = await c.stream(c.a, me);
    expect(res.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(res.headers.get("x-accel-buffering")).toBe("no");
    const stream = sseReader(res);
    expect(await stream.next()).toEqual(OPENING);
    expect(await stream.next()).toEqual({ comment: "keep-alive" });
    await stream.cancel();
  });

  it("ends the stream after the configured time, and the poller stops with its last stream", async () => {
    const c = await cluster({ maxStreamMs: 50 });
    const me = await c.user();
    const stream = sseReader(await c.stream(c.a, me));
    const frames = await stream.rest();
    expect(frames[0]).toEqual(OPENING);
    await c.a.poller.settled();
    expect(c.a.poller.state()).toMatchObject({ subscribers: 0, active: false });
  });

  it("polls once per pod for all its streams, and stops when the last client goes away", async () => {
    const c = await cluster();
    const [me, other] = [await c.user(), await c.user()];
    const s1 = sseReader(await c.stream(c.a, me));
    const s2 = sseReader(await c.stream(c.a, other));
    expect(c.a.poller.state()).toMatchObject({ subscribers: 2, active: true });
    const id = await c.place(c.b, me);
    await s1.untilEvent("order", (o) => o.id === id);

    await s1.cancel();
    expect(c.a.poller.state()).toMatchObject({ subscribers: 1, active: true });
    await s2.cancel();
    await c.a.poller.settled();
    const stopped = c.a.poller.state();
    expect(stopped).toMatchObject({ subscribers: 0, active: false });
    // Nothing is scheduled any more: a change now starts no poll.
    await c.place(c.b, me);
    await c.a.poller.settled();
    expect(c.a.poller.state()).toEqual(stopped);
    // The other pod never had a stream, so it never read the feed.
    expect(c.b.poller.state()).toMatchObject({ subscribers: 0, active: false, polls: 0 });
  });
});

describe("GET /api/orders/{id}/stream", () => {
  it("is 404 for an order the caller may not see, or none, as GET /api/orders/{id}", async () => {
    const c = await cluster();
    const [owner, stranger] = [await c.user(), await c.user()];
    const id = await c.place(c.a, owner);
    for (const path of [`/api/orders/${id}/stream`, "/api/orders/999999/stream"]) {
      const res = await c.stream(c.a, stranger, path);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ status: 404 });
    }
    expect(c.a.poller.state().subscribers).toBe(0);
  });

  it("shows that order's changes only; a refused change writes nothing to the feed", async () => {
    const c = await cluster();
    const [owner, manager, crew] = [
      await c.user(),
      await c.user(["manager"]),
      await c.user(["delivery-crew"]),
    ];
    const [watched, other] = [await c.place(c.a, owner), await c.place(c.a, owner)];
    const stream = sseReader(await c.stream(c.a, owner, `/api/orders/${watched}/stream`));

    const before = await feedRows();
    const refused = await c.patch(c.b, manager, watched, { status: "delivered" });
    expect(refused.status).toBe(409);
    expect(await feedRows()).toBe(before);
    expect(
      await t.db
        .selectFrom("orders")
        .select(["status", "version"])
        .where("id", "=", watched)
        .executeTakeFirst(),
    ).toEqual({ status: "placed", version: 1 });

    expect((await c.patch(c.b, manager, other, { delivery_crew: crew.id })).status).toBe(200);
    expect((await c.patch(c.b, manager, watched, { delivery_crew: crew.id })).status).toBe(200);
    const frames = await stream.untilEvent("order", (o) => o.status === "assigned");
    expect(frames.map((f) => JSON.parse(f.data!))).toEqual([
      expect.objectContaining({ id: watched, status: "assigned", delivery_crew: crew.id }),
    ]);
    await stream.cancel();
  });
});

describe("the order function's PingSource tick", () => {
  it("prunes order changes older than 24 hours and leaves the younger and the deliveries'", async () => {
    const customer = await createUser(t.db);
    const insert = () =>
      t.db
        .insertInto("orders")
        .values({ user_id: customer.id, delivery_crew_id: null, status: "placed", total: "1.00" })
        .returning("id")
        .executeTakeFirstOrThrow();
    const [old, young] = [await insert(), await insert()];
    await t.db.insertInto("deliveries").values({ order_id: old.id, status: "unassigned" }).execute();
    await sql`update change_feed set created_at = now() - interval '25 hours' where entity_id = ${old.id}`.execute(
      t.db,
    );
    const app = await assembleTest(orderFunction, t.db);
    const res = await postEvent(app, pingTick("order"));
    expect(res.status).toBe(200);
    expect(res.body.pruned).toMatchObject({ change_feed: 1 });
    const left = await t.db
      .selectFrom("change_feed")
      .select(["entity", "entity_id"])
      .where("entity_id", "in", [old.id, young.id])
      .orderBy("seq")
      .execute();
    expect(left).toEqual([
      { entity: "order", entity_id: young.id },
      { entity: "delivery", entity_id: old.id },
    ]);
  });
});

describe("the order function as main.ts runs it, on SIGTERM with a stream open", () => {
  const ROOT = fileURLToPath(new URL("../..", import.meta.url));
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /** Runs a program of the repository as its own process; resolves the exit code, collects the output. */
  function run(script: string, args: string[], env: Record<string, string>) {
    const child: ChildProcess = spawn(process.execPath, [script, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, "exit").then(([code, signal]) => (code ?? signal) as number | string);
    cleanup.push(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL");
        await exited;
      }
    });
    const seen = (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => pattern.test(output) && resolve();
        child.stdout!.on("data", check);
        void exited.then((code) => reject(new Error(`exited ${code} before ${pattern}:\n${output}`)));
        check();
      });
    return { child, exited, seen, output: () => output };
  }

  it("ends the stream at once and exits 0, not after the drain with 1", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "tavola-live-stop-"));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    // On a server run the function shares this file's database; on PGlite it gets its own, migrated.
    const database: Record<string, string> = t.url ? { DATABASE_URL: t.url } : {};
    if (!t.url) {
      const migrate = run("db/migrate.ts", ["--no-seed"], { DATA_DIR: dataDir });
      expect(await migrate.exited, migrate.output()).toBe(0);
    }
    const keys = testKeysFrom(await loadOrCreateLocalKeys(dataDir));
    const token = await keys.tokenFor({ id: 1, username: "watcher" });
    const port = await freePort();
    const fn = run("functions/order/main.ts", [], {
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      ...database,
    });
    await fn.seen(/"listening"/);

    const res = await fetch(`http://127.0.0.1:${port}/api/orders/stream`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const stream = sseReader(res);
    expect(await stream.next()).toEqual(OPENING);
    fn.child.kill("SIGTERM");
    // Resolves only if the server ends the stream (its own end is minutes away), before the exit.
    expect((await stream.rest()).filter((f) => f.event !== undefined)).toEqual([]);
    expect(await fn.exited, fn.output()).toBe(0);
    expect(fn.output()).toContain('"shutting down"');
  }, 60_000);
});
