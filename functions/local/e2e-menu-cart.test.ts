import { beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../../shared/testing/index.ts";
import { useE2eStack } from "./e2e-support.ts";

// Issue 4 end to end: the real menu and cart functions behind `npm start`'s gateway and local broker,
// driven over HTTP. A manager's price change and deletion reach every affected cart as events routed by
// the Triggers in knative/; with the broker down nothing moves until it is back and the sweep runs.

const t = useTestDb();
const e2e = useE2eStack(t);
let categoryId: number;

beforeAll(async () => {
  const categories = await e2e.api.request("GET", "/api/categories");
  categoryId = categories.body.results[0].id;
});

async function menuItem(title: string, price: string): Promise<number> {
  const answer = await e2e.api.request("POST", "/api/menu-items", {
    token: e2e.manager,
    json: { title: `${title} ${crypto.randomUUID().slice(0, 8)}`, price, category_id: categoryId },
  });
  expect(answer.status).toBe(201);
  return answer.body.id;
}

/** Two customers, registered and logged in over HTTP, each with one line of every given item. */
async function customersWith(itemIds: number[]): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < 2; i++) {
    const token = await e2e.api.logIn(await e2e.api.register("customer"));
    for (const id of itemIds) {
      const added = await e2e.api.request("POST", "/api/cart/menu-items", {
        token,
        form: { menuitem: id, quantity: 2 },
      });
      expect(added.status).toBe(201);
    }
    tokens.push(token);
  }
  return tokens;
}

/** A customer's cart as `GET /api/cart/menu-items` shows it: `id unit_price×quantity=price`, and the total. */
async function cartOf(token: string): Promise<{ lines: string[]; total: string }> {
  const answer = await e2e.api.request("GET", "/api/cart/menu-items", { token });
  expect(answer.status).toBe(200);
  const lines = (
    answer.body.results as { menuitem: { id: number }; quantity: number; unit_price: string; price: string }[]
  )
    .map((l) => `${l.menuitem.id} ${l.unit_price}x${l.quantity}=${l.price}`)
    .sort();
  return { lines, total: answer.body.total };
}

/** The outbox row of the menu's last event about an item, and whether the cart applied it. */
async function eventAbout(itemId: number, type: string) {
  const row = await t.db
    .selectFrom("outbox")
    .select(["id", "status"])
    .where("source", "=", "/tavola/menu")
    .where("type", "=", type)
    .where("subject", "=", String(itemId))
    .orderBy("created_at", "desc")
    .executeTakeFirstOrThrow();
  const applied = await t.db
    .selectFrom("processed_events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("consumer", "=", "cart")
    .where("event_id", "=", row.id)
    .executeTakeFirstOrThrow();
  return { status: row.status, appliedByCart: Number(applied.n) };
}

/** The change's and the deletion's events, each with its outbox status and how often the cart applied it. */
async function eventsAbout(repriced: number, deleted: number) {
  return [
    await eventAbout(repriced, "tavola.menu.item.changed"),
    await eventAbout(deleted, "tavola.menu.item.deleted"),
  ];
}

const bothEvents = (status: string, appliedByCart: number) => [
  { status, appliedByCart },
  { status, appliedByCart },
];

describe("menu changes reach every cart through the local broker (over HTTP)", () => {
  it("reprices every affected cart line and removes a deleted item's lines", async () => {
    const [repriced, deleted, untouched] = [
      await menuItem("Repriced", "9.50"),
      await menuItem("Deleted", "4.00"),
      await menuItem("Untouched", "3.00"),
    ];
    const customers = await customersWith([repriced, deleted, untouched]);
    for (const token of customers) {
      expect((await cartOf(token)).total).toBe("33.00");
    }

    const patched = await e2e.api.request("PATCH", `/api/menu-items/${repriced}`, {
      token: e2e.manager,
      form: { price: "11.25" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.price).toBe("11.25");
    const removed = await e2e.api.request("DELETE", `/api/menu-items/${deleted}`, { token: e2e.manager });
    expect(removed.status).toBe(204);
    await e2e.stack.broker.settled();

    for (const token of customers) {
      expect(await cartOf(token)).toEqual({
        lines: [`${repriced} 11.25x2=22.50`, `${untouched} 3.00x2=6.00`].sort(),
        total: "28.50",
      });
    }
    // Both events went out through the broker and the cart applied each exactly once.
    expect(await eventsAbout(repriced, deleted)).toEqual(bothEvents("sent", 1));
  });

  it("with the broker down, carts keep the old price; once it is back the sweep brings them current", async () => {
    const [repriced, deleted] = [await menuItem("Repriced", "8.00"), await menuItem("Deleted", "5.00")];
    const customers = await customersWith([repriced, deleted]);
    const { broker } = e2e.stack;

    broker.stop();
    try {
      const patched = await e2e.api.request("PATCH", `/api/menu-items/${repriced}`, {
        token: e2e.manager,
        json: { price: "8.80" },
      });
      expect(patched.status).toBe(200); // the client is answered normally while the broker is down
      expect(
        (await e2e.api.request("DELETE", `/api/menu-items/${deleted}`, { token: e2e.manager })).status,
      ).toBe(204);
      await broker.settled();

      for (const token of customers) {
        // The price waits for its event. The deleted item's lines are gone already: the cart's foreign
        // key cascades (README, "menu and cart"), so no order can be placed from a dangling line.
        expect(await cartOf(token)).toEqual({ lines: [`${repriced} 8.00x2=16.00`], total: "16.00" });
      }
      expect(await eventsAbout(repriced, deleted)).toEqual(bothEvents("pending", 0));
    } finally {
      broker.start();
    }

    await broker.firePings();
    await broker.settled();
    for (const token of customers) {
      expect(await cartOf(token)).toEqual({ lines: [`${repriced} 8.80x2=17.60`], total: "17.60" });
    }
    expect(await eventsAbout(repriced, deleted)).toEqual(bothEvents("sent", 1));
  });
});
