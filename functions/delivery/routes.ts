import { Hono } from "hono";
import type { Kysely } from "kysely";
import { principalOf, requireAuth } from "../../shared/auth/index.ts";
import type { VerifyAccessToken } from "../../shared/auth/verifier.ts";
import type { Database } from "../../shared/db/types.ts";
import { AppError } from "../../shared/errors.ts";
import {
  type AppEnv,
  pageQuery,
  pageSchema,
  parsePage,
  parsePathId,
  query,
} from "../../shared/http/index.ts";
import { describe } from "../../shared/openapi/describe.ts";
import { advanceDelivery } from "./advance-delivery.ts";
import type { CrewAction } from "./delivery-record.ts";
import { deliverySchema } from "./delivery-view.ts";
import { listDeliveries } from "./list-deliveries.ts";

export interface DeliveryRouteDeps {
  db: Kysely<Database>;
  verify: VerifyAccessToken;
  clock?: (() => Date) | undefined;
}

/** The delivery routes, mounted at /api/deliveries. */
export function deliveryRoutes(deps: DeliveryRouteDeps): Hono<AppEnv> {
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
    async (c) =>
      c.json(await listDeliveries(deps, { principal: principalOf(c), page: c.get("query"), url: c.req.url })),
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
        c.get("pendingEvents"),
      );
      return c.json(view);
    });
  }

  return app;
}
