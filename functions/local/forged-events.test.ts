import { generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { eventsAudience } from "../../shared/events/identity/sender-identity.ts";
import { assembleTest, postEvent } from "../../shared/testing/event-fixtures.ts";
import { call, createUser, useTestDb } from "../../shared/testing/index.ts";
import { testSenderAuthorization, testSenderIssuer } from "../../shared/testing/sender.ts";
import { deliveryFunction } from "../delivery/definition.ts";
import { orderFunction } from "../order/definition.ts";
import { orderTestbed } from "../order/test-support.ts";

// Issue 12, finding 1: a CloudEvent posted straight to a function was applied, whoever sent it and
// whatever its source. Only the broker's sender token is accepted now, and a consumer takes a type only
// from the producer the catalogue names. Every refusal leaves the database as it was.

const t = useTestDb();

/** The attacker's event of the issue: another customer's order marked delivered. */
const delivered = (orderId: number, source = "/tavola/delivery") => ({
  source,
  type: "tavola.delivery.status.changed",
  subject: String(orderId),
  data: { order_id: orderId, status: "delivered", version: 1, at: new Date().toISOString() },
});

async function placedOrder() {
  const bed = await orderTestbed(t.db);
  const order = await bed.placedOrder(await bed.customer());
  const state = async () => ({
    order: await t.db
      .selectFrom("orders")
      .select(["status", "delivery_crew_id"])
      .where("id", "=", order.id)
      .executeTakeFirstOrThrow(),
    processed: await t.db
      .selectFrom("processed_events")
      .select("event_id")
      .where("consumer", "=", "order")
      .execute(),
    deadLetters: await t.db.selectFrom("dead_letters").select("id").where("consumer", "=", "order").execute(),
  });
  /** Hands the order to a new crew member, out for delivery: a delivered event may then apply. */
  const outForDelivery = async () => {
    const crew = await createUser(t.db, { groups: ["delivery-crew"] });
    await t.db
      .updateTable("orders")
      .set({ status: "out_for_delivery", delivery_crew_id: crew.id })
      .where("id", "=", order.id)
      .execute();
  };
  return { id: order.id, state, outForDelivery };
}

/** A well-formed token that is wrong in one way. */
async function token(change: {
  key?: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
  issuer?: string;
  audience?: string;
  expired?: boolean;
}) {
  const now = Math.floor(Date.now() / 1000);
  const key = change.key ?? (await generateKeyPair("EdDSA")).privateKey;
  return `Bearer ${await new SignJWT({})
    .setProtectedHeader({ alg: "EdDSA" })
    .setIssuer(change.issuer ?? testSenderIssuer.issuer)
    .setAudience(change.audience ?? eventsAudience("order"))
    .setSubject("system:serviceaccount:tavola:attacker")
    .setIssuedAt(now - (change.expired ? 600 : 0))
    .setExpirationTime(now + (change.expired ? -300 : 60))
    .sign(key)}`;
}

describe("only the broker delivers events (finding 1)", () => {
  it("refuses a forged delivery status with 401, whatever it presents, and changes nothing", async () => {
    const app = await assembleTest(orderFunction, t.db);
    const order = await placedOrder();
    const before = await order.state();
    const attempts: [string, string | null][] = [
      ["no token", null],
      ["junk", "Bearer junk"],
      ["a token signed by the attacker's own key", await token({})],
      ["the wrong issuer", await token({ issuer: "https://attacker.example" })],
      ["a sender token for another function", await testSenderAuthorization("cart")],
      ["an access token's scheme", "Token abc.def.ghi"],
    ];
    for (const [label, authorization] of attempts) {
      const res = await postEvent(app, delivered(order.id, "/tavola/attacker"), { authorization });
      expect(res.status, label).toBe(401);
      const sameSource = await postEvent(app, delivered(order.id), { authorization });
      expect(sameSource.status, label).toBe(401);
    }
    expect(await order.state()).toEqual(before);
    expect(before.order.status).toBe("placed");
  });

  it("refuses an event from a sender the broker vouches for when its source is not the type's producer (400)", async () => {
    const app = await assembleTest(orderFunction, t.db);
    const order = await placedOrder();
    const before = await order.state();
    const res = await postEvent(app, delivered(order.id, "/tavola/attacker"));
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/comes only from \/tavola\/delivery/);
    const spoofed = await postEvent(app, delivered(order.id, "/tavola/menu"));
    expect(spoofed.status).toBe(400);
    expect(await order.state()).toEqual(before);
    // The control: the same event, from its producer and through the broker, is applied.
    await order.outForDelivery();
    expect((await postEvent(app, delivered(order.id))).status).toBe(204);
    const after = await order.state();
    expect(after.order.status).toBe("delivered");
    expect(after.processed).toHaveLength(1);
  });

  it("refuses a forged assignment from the year 2999 at the delivery function", async () => {
    const app = await assembleTest(deliveryFunction, t.db);
    const crew = await createUser(t.db, { groups: ["delivery-crew"] });
    const orderId = 900_000 + Math.floor(Math.random() * 90_000);
    const res = await postEvent(
      app,
      {
        source: "/tavola/order",
        type: "tavola.order.assigned",
        subject: String(orderId),
        data: { order_id: orderId, version: 1, delivery_crew_id: crew.id },
      },
      {
        authorization: await token({ audience: eventsAudience("delivery") }),
        extensions: { time: "2999-01-01T00:00:00Z" },
      },
    );
    expect(res.status).toBe(401);
    const rows = await t.db
      .selectFrom("deliveries")
      .select("order_id")
      .where("order_id", "=", orderId)
      .execute();
    expect(rows).toEqual([]);
  });

  it("refuses a forged dead letter and an expired token, storing nothing a manager could replay", async () => {
    const app = await assembleTest(orderFunction, t.db);
    const order = await placedOrder();
    const before = await order.state();
    for (const authorization of [null, await token({}), await token({ expired: true, key: undefined })]) {
      const res = await postEvent(app, delivered(order.id), {
        path: "/events/dead-letter",
        authorization,
        extensions: {
          knativeerrorcode: "500",
          knativeerrordest: "http://order.tavola.svc.cluster.local/events",
        },
      });
      expect(res.status).toBe(401);
    }
    expect(await order.state()).toEqual(before);
    expect(before.deadLetters).toEqual([]);
  });

  it("keeps a dead letter whose source is not its type's producer, and a manager's replay refuses it", async () => {
    const bed = await orderTestbed(t.db);
    const app = await assembleTest(orderFunction, t.db, { verify: bed.keys.verify });
    const order = await placedOrder();
    await order.outForDelivery();
    const before = await order.state();
    // The broker dead-lettered it (the consumer answered 400), with its own token: every dead letter is kept.
    const stored = await postEvent(app, delivered(order.id, "/tavola/attacker"), {
      path: "/events/dead-letter",
      extensions: { knativeerrorcode: "400" },
    });
    expect(stored.status).toBe(204);
    const id = Number(stored.headers.get("tavola-dead-letter-id"));
    const manager = await bed.manager();
    const replay = await call(app, "POST", `/api/dead-letters/order/${id}/replay`, { token: manager.token });
    expect(replay.status).toBe(400);
    const after = await order.state();
    expect(after.order.status).toBe("out_for_delivery");
    expect(after.processed).toEqual(before.processed);
    const row = await t.db
      .selectFrom("dead_letters")
      .select("replayed_at")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row.replayed_at).toBeNull();
  });
});
