import type { Hono } from "hono";
import { type Kysely, sql } from "kysely";
import { baseConfigSchema } from "../config/schema.ts";
import { withTransaction } from "../db/transaction.ts";
import type { Database } from "../db/types.ts";
import { AppError } from "../errors.ts";
import { type EventType, type FunctionName, isEventType, producers, sourceOf } from "../events/catalogue.ts";
import { enqueueEvent } from "../events/outbox/enqueue.ts";
import { holdingPublisher } from "../events/outbox/publisher.ts";
import { binaryHeaders } from "../events/receive/cloudevent.ts";
import { readBody } from "../http/body.ts";
import { createFunctionApp } from "../http/create-app.ts";
import type { AppEnv } from "../http/env.ts";
import { createLogger } from "../log.ts";
import { assembleFunction } from "../runtime/assemble.ts";
import type { FunctionContext, FunctionDefinition } from "../runtime/function.ts";
import { createTestKeys } from "./keys.ts";
import { type CallResult, call } from "./request.ts";
import { testSenderAuthorization, testSenderVerifier } from "./sender.ts";

// Test-only functions for the event machinery's tests, built exactly as real ones are (a definition with
// `events` handlers, assembled by `assembleFunction`), so the tests do not wait for menu/cart to land.

export const quietLogger = createLogger("silent");

/**
 * A consumer with real effects on cart_items: menu.item.changed reprices the item's lines (changing
 * nothing when they already have that price), menu.item.deleted removes them. Three test-only reactions
 * besides: order.placed ADDS the order's quantities to the user's cart (deliberately not idempotent, so
 * a second application shows), order.cancelled writes and then refuses (AppError after a write), and
 * delivery.status.changed enqueues a follow-up event (published after the commit).
 */
export function testConsumer(name: FunctionName = "cart"): FunctionDefinition {
  return {
    name,
    routes: [],
    events: {
      "tavola.menu.item.changed": async ({ trx }, event) => {
        await trx
          .updateTable("cart_items")
          .set({ unit_price: event.data.price })
          .where("menuitem_id", "=", event.data.menuitem_id)
          .where("unit_price", "<>", event.data.price)
          .execute();
      },
      "tavola.menu.item.deleted": async ({ trx }, event) => {
        await trx.deleteFrom("cart_items").where("menuitem_id", "=", event.data.menuitem_id).execute();
      },
      "tavola.order.placed": async ({ trx }, event) => {
        for (const item of event.data.items) {
          await trx
            .insertInto("cart_items")
            .values({ user_id: event.data.user_id, ...item })
            .onConflict((oc) =>
              oc
                .columns(["user_id", "menuitem_id"])
                .doUpdateSet({ quantity: sql`cart_items.quantity + excluded.quantity` }),
            )
            .execute();
        }
      },
      "tavola.order.cancelled": async ({ trx }, event) => {
        await trx.deleteFrom("cart_items").where("user_id", "=", event.data.order_id).execute();
        throw new AppError("conflict", "This test consumer refuses cancellations.");
      },
      "tavola.delivery.status.changed": async ({ trx }, event) => {
        await enqueueEvent(trx, {
          source: name,
          type: "tavola.order.status.changed",
          subject: event.data.order_id,
          data: {
            order_id: event.data.order_id,
            version: event.data.version,
            status: event.data.status,
            previous: "assigned",
            delivery_crew_id: null,
          },
        });
      },
    },
    build: async (ctx) => createFunctionApp({ db: ctx.db, logger: ctx.logger, publisher: ctx.publisher }),
  };
}

/**
 * A producer standing in for the menu function: `PATCH /api/menu-items/{id}` with `{price}` changes the
 * price and enqueues tavola.menu.item.changed in the same transaction; `POST …/{id}/withdraw` only
 * enqueues tavola.menu.item.deleted (a real delete would cascade to the cart without any event).
 */
export function testProducer(): FunctionDefinition {
  return {
    name: "menu",
    routes: ["/api/menu-items"],
    build: async (ctx) => {
      const app = createFunctionApp({ db: ctx.db, logger: ctx.logger, publisher: ctx.publisher });
      app.patch("/api/menu-items/:id", async (c) => {
        const { price } = (await readBody(c)) as { price: string };
        const item = await withTransaction(ctx.db, async (trx) => {
          const row = await trx
            .updateTable("menu_items")
            .set({ price, version: sql<number>`version + 1` })
            .where("id", "=", Number(c.req.param("id")))
            .returning(["id", "title", "price", "version"])
            .executeTakeFirstOrThrow();
          const data = { menuitem_id: row.id, version: row.version, title: row.title, price: row.price };
          await enqueueEvent(
            trx,
            { source: "menu", type: "tavola.menu.item.changed", subject: row.id, data },
            c.get("pendingEvents"),
          );
          return row;
        });
        return c.json(item);
      });
      app.post("/api/menu-items/:id/withdraw", async (c) => {
        const id = Number(c.req.param("id"));
        await withTransaction(ctx.db, (trx) =>
          enqueueEvent(
            trx,
            {
              source: "menu",
              type: "tavola.menu.item.deleted",
              subject: id,
              data: { menuitem_id: id, version: 1 },
            },
            c.get("pendingEvents"),
          ),
        );
        return c.body(null, 204);
      });
      return app;
    },
  };
}

/** A FunctionContext for tests: the given db, a silent logger, test keys, and no broker unless given. */
export async function testContext(
  db: Kysely<Database>,
  overrides: Partial<FunctionContext> = {},
  name: FunctionName = "cart",
): Promise<FunctionContext> {
  const keys = await createTestKeys();
  return {
    env: {},
    config: baseConfigSchema.parse({}),
    db,
    logger: quietLogger,
    verify: keys.verify,
    verifySender: testSenderVerifier(name),
    publisher: holdingPublisher,
    ...overrides,
  };
}

/** Assembles a test definition as `main.ts` would. */
export async function assembleTest(
  definition: FunctionDefinition,
  db: Kysely<Database>,
  overrides: Partial<FunctionContext> = {},
): Promise<Hono<AppEnv>> {
  return assembleFunction(definition, await testContext(db, overrides, definition.name));
}

export interface TestEvent<T extends EventType = EventType> {
  id?: string;
  source?: string;
  type: T | string;
  subject?: string;
  data: unknown;
}

/**
 * POSTs a CloudEvent to an app's `/events` (or another path) in binary or structured mode, as the broker
 * does: with a sender token (`authorization` replaces it; null sends none) and, unless given, the source
 * the catalogue names for the type.
 */
export async function postEvent(
  app: Hono<AppEnv>,
  event: TestEvent,
  options: {
    mode?: "binary" | "structured";
    path?: string;
    extensions?: Record<string, string>;
    authorization?: string | null;
  } = {},
): Promise<CallResult> {
  const attributes = {
    specversion: "1.0",
    id: event.id ?? crypto.randomUUID(),
    source: event.source ?? (isEventType(event.type) ? sourceOf(producers[event.type]) : "/tavola/test"),
    type: event.type,
    ...(event.subject !== undefined ? { subject: event.subject } : {}),
    ...options.extensions,
  };
  const path = options.path ?? "/events";
  // As the broker delivers: with its sender token, unless the test says what to present instead.
  const authorization =
    options.authorization === undefined ? await testSenderAuthorization() : options.authorization;
  const auth: Record<string, string> = authorization === null ? {} : { authorization };
  if (options.mode === "structured") {
    return call(app, "POST", path, {
      json: { ...attributes, datacontenttype: "application/json", data: event.data },
      headers: { "content-type": "application/cloudevents+json", ...auth },
    });
  }
  return call(app, "POST", path, { json: event.data, headers: { ...binaryHeaders(attributes), ...auth } });
}
