import { Hono } from "hono";
import type { Kysely } from "kysely";
import { principalOf, requireAuth } from "../../shared/auth/index.ts";
import type { VerifyAccessToken } from "../../shared/auth/verifier.ts";
import type { Database } from "../../shared/db/types.ts";
import { AppError } from "../../shared/errors.ts";
import { type AppEnv, parsePage, parsePathId } from "../../shared/http/index.ts";
import { advanceDelivery } from "./advance-delivery.ts";
import type { CrewAction } from "./delivery-record.ts";
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

  app.get("/", async (c) =>
    c.json(
      await listDeliveries(deps, {
        principal: principalOf(c),
        page: parsePage(c.req.query()),
        url: c.req.url,
      }),
    ),
  );

  const actions: Record<string, CrewAction> = { pickup: "pickup", deliver: "deliver" };
  for (const [path, action] of Object.entries(actions)) {
    app.post(`/:orderId/${path}`, async (c) => {
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
