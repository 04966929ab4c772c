import { describe, expect, it } from "vitest";
import { cartFunction } from "../../../functions/cart/definition.ts";
import type { FunctionDefinition } from "../../runtime/function.ts";
import { assembleTest, postEvent, withProbes } from "../../testing/event-fixtures.ts";
import { createMenuItem, createUser, useTestDb } from "../../testing/index.ts";
import { OUTCOME_HEADER } from "../edges/receiver.ts";
import type { EventHandler, EventHandlers } from "./handlers.ts";

const t = useTestDb();

/**
 * Delivers one tavola.order.placed event `times` times (one after another, or all at once) to the cart
 * with the machinery probes, whose probe ADDS the ordered quantity to the user's cart: applied once the cart holds 2,
 * applied twice it holds 4.
 */
async function deliverRepeatedly(options: { times: number; concurrently: boolean; dedupe: boolean }) {
  const cart = withProbes(cartFunction);
  const user = await createUser(t.db);
  const item = await createMenuItem(t.db, { price: "4.00" });
  const app = await assembleTest(options.dedupe ? cart : forgetful(cart), t.db);
  const event = {
    id: crypto.randomUUID(),
    source: "/tavola/order",
    type: "tavola.order.placed",
    subject: "7",
    data: {
      order_id: 7,
      version: 1,
      user_id: user.id,
      total: "8.00",
      items: [{ menuitem_id: item.id, quantity: 2, unit_price: "4.00" }],
    },
  };
  const deliver = () => postEvent(app, event);
  const answers = options.concurrently
    ? await Promise.all(Array.from({ length: options.times }, deliver))
    : await sequentially(options.times, deliver);
  const line = await t.db
    .selectFrom("cart_items")
    .select("quantity")
    .where("user_id", "=", user.id)
    .executeTakeFirst();
  const processed = await t.db
    .selectFrom("processed_events")
    .select("consumer")
    .where("event_id", "=", event.id)
    .execute();
  return {
    statuses: answers.map((a) => a.status),
    outcomes: answers.map((a) => a.headers.get(OUTCOME_HEADER)).sort(),
    quantity: line?.quantity,
    processed: processed.length,
  };
}

/**
 * The same consumer, except that each reaction also deletes the record of its event, in the transaction
 * it shares with that record: the dedupe keeps nothing, as if it were broken. What the negative controls
 * run, so they fail exactly when the processed record is what stops a second application.
 */
function forgetful(definition: FunctionDefinition): FunctionDefinition {
  const events = Object.entries(definition.events ?? {}).map(([type, react]) => {
    const handler: EventHandler<never> = async (ctx, event) => {
      await (react as EventHandler<never>)(ctx, event);
      await ctx.trx
        .deleteFrom("processed_events")
        .where("consumer", "=", definition.name)
        .where("source", "=", event.source)
        .where("event_id", "=", event.id)
        .execute();
    };
    return [type, handler];
  });
  return { ...definition, events: Object.fromEntries(events) as EventHandlers };
}

async function sequentially<T>(times: number, fn: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < times; i++) results.push(await fn());
  return results;
}

/** What "applied once" means, as one assertion the negative controls can watch fail. */
function expectAppliedOnce(result: Awaited<ReturnType<typeof deliverRepeatedly>>, times: number) {
  expect(result.statuses).toEqual(Array(times).fill(204));
  expect(result.quantity).toBe(2);
  expect(result.outcomes).toEqual(["applied", ...Array(times - 1).fill("duplicate")]);
}

describe("no event is applied twice", () => {
  it("applies an event delivered twice once, and answers the duplicate 2xx", async () => {
    const result = await deliverRepeatedly({ times: 2, concurrently: false, dedupe: true });
    expectAppliedOnce(result, 2);
    expect(result.processed).toBe(1);
  });

  it("applies an event delivered concurrently several times once", async () => {
    const result = await deliverRepeatedly({ times: 4, concurrently: true, dedupe: true });
    expectAppliedOnce(result, 4);
    expect(result.processed).toBe(1);
  });

  it("negative control: with a dedupe that keeps nothing, the same test sees the event applied twice", async () => {
    const result = await deliverRepeatedly({ times: 2, concurrently: false, dedupe: false });
    expect(() => expectAppliedOnce(result, 2)).toThrow();
    expect(result.quantity).toBe(4);
    expect(result.processed).toBe(0);
  });

  it("negative control: concurrently, with a dedupe that keeps nothing, every delivery applies", async () => {
    const result = await deliverRepeatedly({ times: 4, concurrently: true, dedupe: false });
    expect(() => expectAppliedOnce(result, 4)).toThrow();
    expect(result.quantity).toBe(8);
  });
});
