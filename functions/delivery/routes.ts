import { Hono } from "hono";
import { principalOf, requireAuth } from "../../shared/auth/index.ts";
import { AppError } from "../../shared/errors.ts";
import {
  type AppEnv,
  pageQuery,
  pageSchema,
  parsePage,
  parsePathId,
  query,
  toPage,
} from "../../shared/http/index.ts";
import { describe } from "../../shared/openapi/describe.ts";
import { advanceDelivery } from "./advance-delivery.ts";
import type { CrewAction } from "./delivery-record.ts";
import type { DeliveryAppDeps } from "./internal.ts";
import { listDeliveries } from "./list-deliveries.ts";
import { deliveryStreamRoutes } from "./live.ts";
import { deliverySchema } from "./schemas.ts";

/** The delivery routes, at /api/deliveries. */
export function deliveryRoutes(deps: DeliveryAppDeps): Hono<AppEnv> {
  // The stream first, so `stream` is not read as an order id.
  return new Hono<AppEnv>()
    .route("/api/deliveries", deliveryStreamRoutes(deps))
    .route("/api/deliveries", deliveries(deps));
}

function deliveries(deps: DeliveryAppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });
  app.use("*", requireAuth(deps.verify));

  app.get(
    "/",
    describe({
      summary: "List deliveries",
      description: "Open ones first. A crew member sees their own, a manager all.",
      roles: ["manager", "delivery-crew"],
      responses: { 200: pageSchema(deliverySchema) },
      errors: [403],
    }),
    query(pageQuery, parsePage),
    async (c) => {
      const page = c.get("query");
      const { count, slice } = await listDeliveries(deps, { principal: principalOf(c), page });
      return c.json(toPage(c.req.url, page, count, slice));
    },
  );

  const actions: Record<string, CrewAction> = { pickup: "pickup", deliver: "deliver" };
  const summaries: Record<string, string> = {
    pickup: "Pick up a delivery (out_for_delivery)",
    deliver: "Deliver a delivery (delivered)",
  };
  for (const [path, action] of Object.entries(actions)) {
    const doc = describe({
      summary: summaries[path]!,
      description: "The assigned crew member only. Emits tavola.delivery.status.changed.",
      roles: ["delivery-crew"],
      responses: { 200: deliverySchema },
      errors: [403, 409],
    });
    app.post(`/:orderId/${path}`, doc, async (c) => {
      const orderId = parsePathId(c.req.param("orderId"));
      if (orderId === undefined) throw new AppError("not_found", "No delivery has that order id.");
      const view = await advanceDelivery(
        deps,
        { principal: principalOf(c), orderId, action },
        c.get("pendingEventIds"),
      );
      return c.json(view);
    });
  }

  return app;
}
