import { Hono } from "hono";
import type { Kysely } from "kysely";
import { hasRole, type Principal, principalOf, requireAuth } from "../../shared/auth/index.ts";
import type { Database } from "../../shared/db/types.ts";
import { AppError } from "../../shared/errors.ts";
import type { AppEnv } from "../../shared/http/index.ts";
import { createEntityPoller, type LiveDeps } from "../../shared/live/deps.ts";
import { LAST_EVENT_ID, STREAM_DESCRIPTION, streamResponse } from "../../shared/live/doc.ts";
import type { FeedRow } from "../../shared/live/feed.ts";
import type { FeedPoller } from "../../shared/live/poller.ts";
import { DEFAULT_LIVE_SETTINGS } from "../../shared/live/settings.ts";
import { framesFor, openLiveStream, type Visibility } from "../../shared/live/stream.ts";
import { describe } from "../../shared/openapi/describe.ts";
import { readDeliveries } from "./repository.ts";
import type { DeliveryView } from "./schemas.ts";
import { toDeliveryView } from "./view.ts";

export type DeliveryLiveDeps = LiveDeps<DeliveryView>;

/** The poller an app's delivery streams share: it reads the feed's delivery changes and loads their views. */
export function createDeliveryFeedPoller(deps: DeliveryLiveDeps): FeedPoller<DeliveryView> {
  return createEntityPoller(deps, "delivery", deliveryViewsById);
}

/** The current views of the deliveries of the orders among `ids` that have one, in one read. */
export async function deliveryViewsById(db: Kysely<Database>, ids: readonly number[]) {
  const records = await readDeliveries(db, ids);
  return new Map(records.map((record) => [record.orderId, toDeliveryView(record)]));
}

/** As GET /api/deliveries: a manager sees every delivery, a crew member their own (and hears of one taken away). */
export function deliveryVisibility(principal: Principal): Visibility<DeliveryView> {
  const manager = hasRole(principal, "manager");
  return {
    canSee: (view) => manager || view.delivery_crew === principal.id,
    wasConcerned: (row: FeedRow) =>
      manager || row.crewId === principal.id || row.previousCrewId === principal.id,
  };
}

/** The live deliveries stream, mounted at /api/deliveries; one feed poller per app for all its streams. */
export function deliveryStreamRoutes(deps: DeliveryLiveDeps): Hono<AppEnv> {
  const settings = deps.live ?? DEFAULT_LIVE_SETTINGS;
  const poller = deps.feedPoller ?? createDeliveryFeedPoller(deps);
  const app = new Hono<AppEnv>({ strict: false });
  app.get(
    "/stream",
    describe({
      summary: "Stream delivery changes",
      description: `Changes to the deliveries the caller may see, as GET /api/deliveries lists them. ${STREAM_DESCRIPTION}`,
      responses: { 200: streamResponse("delivery") },
      headers: [LAST_EVENT_ID],
      errors: [403],
    }),
    requireAuth(deps.verify),
    async (c) => {
      const principal = principalOf(c);
      if (!hasRole(principal, "manager") && !hasRole(principal, "delivery-crew")) {
        throw new AppError("forbidden", "Only managers and the delivery crew may follow deliveries.");
      }
      const visibility = deliveryVisibility(principal);
      return openLiveStream(c, {
        db: deps.db,
        entity: "delivery",
        poller,
        settings,
        stopping: deps.stopping,
        select: (batch) => framesFor(batch, visibility, "delivery"),
      });
    },
  );
  return app;
}
