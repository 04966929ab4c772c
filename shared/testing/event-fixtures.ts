import { Hono } from "hono";
import { type Kysely, sql } from "kysely";
import { baseConfigSchema } from "../config/schema.ts";
import type { Database } from "../db/types.ts";
import { AppError } from "../errors.ts";
import {
  type EventData,
  type EventType,
  type FunctionName,
  isEventType,
  producers,
  sourceOf,
} from "../events/catalogue.ts";
import { enqueueEvent } from "../events/outbox/enqueue.ts";
import { holdingPublisher } from "../events/outbox/publisher.ts";
import { binaryHeaders } from "../events/receive/cloudevent.ts";
import type { EventHandlers } from "../events/receive/handlers.ts";
import type { AppEnv } from "../http/env.ts";
import { createLogger } from "../log.ts";
import { assembleFunction } from "../runtime/assemble.ts";
import type { FunctionContext, FunctionDefinition } from "../runtime/function.ts";
import { createTestKeys } from "./keys.ts";
import { type CallResult, call } from "./request.ts";
import { testSenderAuthorization, testSenderVerifier } from "./sender.ts";

// What the event machinery's tests run: the real functions' definitions (passed in by the test, so
// shared/ imports nothing of functions/), with probe reactions added for event types they do not
// consume, assembled by `assembleFunction` exactly as `main.ts` assembles them.

export const quietLogger = createLogger("silent");

/**
 * Reactions no real function has, each showing one property of the machinery: tavola.order.placed ADDS
 * the order's quantities to the user's cart (deliberately not idempotent, so a second application
 * shows), tavola.order.cancelled writes and then refuses (an AppError after a write: the write must roll
 * back), and tavola.delivery.status.changed enqueues a follow-up event as `name` (published only after
 * the commit).
 */
export function machineryProbes(name: FunctionName): EventHandlers {
  return {
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
      throw new AppError("conflict", "This probe refuses cancellations.");
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
  };
}

/** A real function's definition with the machinery probes added beside its own reactions. */
export function withProbes(definition: FunctionDefinition): FunctionDefinition {
  return { ...definition, events: { ...machineryProbes(definition.name), ...definition.events } };
}

/**
 * A function that serves no routes of its own and reacts only with the probes, under `name` (whose
 * sender audience and outbox source it takes): for tests of the machinery that need no real reaction.
 */
export function probeConsumer(name: FunctionName): FunctionDefinition {
  return {
    name,
    routes: [],
    events: machineryProbes(name),
    http: () => new Hono<AppEnv>(),
    deps: testDeps,
  };
}

/** What a test function's app takes: no throttle, no CORS. */
function testDeps(ctx: FunctionContext) {
  return { db: ctx.db, logger: ctx.logger, verify: ctx.verify, publisher: ctx.publisher };
}

/**
 * Changes a menu item's price in its row as the menu function does (the version goes up by one) and
 * answers the tavola.menu.item.changed data that change carries. The cart reprices from the row, not
 * from the event, so an event test changes the row first.
 */
export async function changeMenuPrice(
  db: Kysely<Database>,
  menuItemId: number,
  price: string,
): Promise<EventData<"tavola.menu.item.changed">> {
  const row = await db
    .updateTable("menu_items")
    .set({ price, updated_at: sql`now()`, version: sql<number>`version + 1` })
    .where("id", "=", menuItemId)
    .returning(["id", "title", "price", "version"])
    .executeTakeFirstOrThrow();
  return { menuitem_id: row.id, version: row.version, title: row.title, price: row.price };
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

/** The tick of a function's PingSource (knative/: outbox-sweep-<function>), as the broker delivers it. */
export function pingTick(functionName: string, data: unknown = {}): TestEvent {
  return {
    source: `/apis/v1/namespaces/tavola/pingsources/outbox-sweep-${functionName}`,
    type: "dev.knative.sources.ping",
    data,
  };
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
