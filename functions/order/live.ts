import { Hono } from "hono";
import type { Kysely } from "kysely";
import { hasRole, type Principal, principalOf, requireAuth } from "../../shared/auth/index.ts";
import type { Database } from "../../shared/db/types.ts";
import type { AppEnv } from "../../shared/http/index.ts";
import { createEntityPoller, type LiveDeps } from "../../shared/live/deps.ts";
import { LAST_EVENT_ID, STREAM_DESCRIPTION, streamResponse } from "../../shared/live/doc.ts";
import type { FeedRow } from "../../shared/live/feed.ts";
import type { FeedPoller } from "../../shared/live/poller.ts";
import { DEFAULT_LIVE_SETTINGS } from "../../shared/live/settings.ts";
import { framesFor, openLiveStream, type Visibility } from "../../shared/live/stream.ts";
import { describe } from "../../shared/openapi/describe.ts";
import { getOrder } from "./get-order.ts";
import { canSeeOrder, loadOrderViews } from "./internal.ts";
import type { OrderView } from "./schemas.ts";

export type OrderLiveDeps = LiveDeps<OrderView>;

/** The poller an app's order streams share: it reads the feed's order changes and loads their views. */
export function createOrderFeedPoller(deps: OrderLiveDeps): FeedPoller<OrderView> {
  return createEntityPoller(deps, "order", orderViewsById);
}

/** The current views of the orders among `ids` that still exist: the orders and their lines in two reads. */
export async function orderViewsById(db: Kysely<Database>, ids: readonly number[]) {
  const orders = await db.selectFrom("orders").selectAll().where("id", "in", ids).execute();
  const views = await loadOrderViews(db, orders);
  return new Map(views.map((v) => [v.id, v]));
}

/** Whom an order change concerns: as GET /api/orders/{id} decides, plus the crew it was taken from. */
export function orderVisibility(principal: Principal): Visibility<OrderView> {
  const manager = hasRole(principal, "manager");
  return {
    canSee: (view) => canSeeOrder(principal, { user_id: view.user, delivery_crew_id: view.delivery_crew }),
    wasConcerned: (row: FeedRow) =>
      manager ||
      row.userId === principal.id ||
      row.crewId === principal.id ||
      row.previousCrewId === principal.id,
  };
}

/**
 * The live order streams, mounted at /api/orders before the other order routes (so `stream` is not
 * taken for an id): every order the caller may see, and one order. One feed poller per app, shared by
 * every stream the app serves.
 */
export function orderStreamRoutes(deps: OrderLiveDeps): Hono<AppEnv> {
  const settings = deps.live ?? DEFAULT_LIVE_SETTINGS;
  const poller = deps.feedPoller ?? createOrderFeedPoller(deps);
  const stream = { db: deps.db, entity: "order" as const, poller, settings, stopping: deps.stopping };
  const app = new Hono<AppEnv>({ strict: false });

  app.get(
    "/stream",
    describe({
      summary: "Stream order changes",
      description: `Changes to the orders the caller may see, as GET /api/orders lists them. ${STREAM_DESCRIPTION}`,
      responses: { 200: streamResponse("order") },
      headers: [LAST_EVENT_ID],
    }),
    requireAuth(deps.verify),
    async (c) => {
      const visibility = orderVisibility(principalOf(c));
      return openLiveStream(c, { ...stream, select: (batch) => framesFor(batch, visibility, "order") });
    },
  );

  app.get(
    "/:id{[0-9]+}/stream",
    describe({
      summary: "Stream one order's changes",
      description: `One order, for whoever may GET it (anyone else: 404). ${STREAM_DESCRIPTION}`,
      responses: { 200: streamResponse("order") },
      headers: [LAST_EVENT_ID],
    }),
    requireAuth(deps.verify),
    async (c) => {
      const principal = principalOf(c);
      const orderId = Number(c.req.param("id"));
      await getOrder(deps, { principal, orderId });
      const visibility = orderVisibility(principal);
      return openLiveStream(c, {
        ...stream,
        select: (batch) =>
          framesFor(
            { ...batch, rows: batch.rows.filter((r) => r.entityId === orderId) },
            visibility,
            "order",
          ),
      });
    },
  );

  return app;
}
