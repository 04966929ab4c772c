import { createHash } from "node:crypto";
import { Hono } from "hono";
import type { Kysely } from "kysely";
import { z } from "zod";
import { principalOf, requireAuth, requireRole } from "../../shared/auth/index.ts";
import type { VerifyAccessToken } from "../../shared/auth/verifier.ts";
import type { Database } from "../../shared/db/types.ts";
import { AppError } from "../../shared/errors.ts";
import {
  type AppEnv,
  fields,
  parseOrdering,
  parsePage,
  parsePathId,
  readBody,
  validate,
} from "../../shared/http/index.ts";
import { cancelOrder } from "./cancel-order.ts";
import { deleteOrder } from "./delete-order.ts";
import { getOrder } from "./get-order.ts";
import { listOrders } from "./list-orders.ts";
import { placeOrder } from "./place-order.ts";
import { ORDER_STATUSES } from "./status-machine.ts";
import { updateOrder } from "./update-order.ts";

const ORDERING = { date: "created_at", total: "total" } as const;

const listQuery = z.object({ status: z.enum(ORDER_STATUSES).optional() });

/** A status by name, or as Little Lemon sends it: 0/false = out for delivery, 1/true = delivered. */
const statusField = z.union(
  [
    z.enum(ORDER_STATUSES),
    fields.boolean.transform((delivered) => (delivered ? "delivered" : "out_for_delivery")),
    z.union([z.literal(0), z.literal(1)]).transform((n) => (n === 1 ? "delivered" : "out_for_delivery")),
  ],
  { error: `must be one of ${ORDER_STATUSES.join(", ")}, or 0/1` },
);

const updateBody = z.object({ delivery_crew: fields.id.optional(), status: statusField.optional() });

/** Idempotency keys are opaque printable text of at most 255 characters (the column's width). */
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

/** The order routes, mounted at /api/orders and at Little Lemon's /api/cart/orders. */
export function orderRoutes(deps: { db: Kysely<Database>; verify: VerifyAccessToken }): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });
  app.use("*", requireAuth(deps.verify));

  app.get("/", async (c) => {
    const query = c.req.query();
    const { status } = validate(listQuery, { status: query.status });
    const page = await listOrders(deps, {
      principal: principalOf(c),
      status,
      ordering: parseOrdering(query.ordering, ORDERING),
      page: parsePage(query),
      url: c.req.url,
    });
    return c.json(page);
  });

  app.post("/", async (c) => {
    const key = c.req.header("idempotency-key");
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new AppError("bad_request", "The Idempotency-Key header must be 1 to 255 printable characters.");
    }
    // The body is compared byte for byte as sent; its fields are all server-owned and ignored.
    const sent = key === undefined ? undefined : c.req.raw.clone();
    await readBody(c);
    const idempotency = sent && key ? { key, requestHash: await hashBody(sent) } : undefined;
    const result = await placeOrder(deps, { userId: principalOf(c).id, idempotency }, c.get("pendingEvents"));
    if (result.replayed) c.header("idempotent-replayed", "true");
    return c.json(result.body as object, result.status as 201);
  });

  app.get("/:id", async (c) =>
    c.json(await getOrder(deps, { principal: principalOf(c), orderId: pathId(c.req.param("id")) })),
  );

  app.on(["PATCH", "PUT"], "/:id", async (c) => {
    const body = validate(updateBody, await readBody(c));
    const view = await updateOrder(
      deps,
      {
        principal: principalOf(c),
        orderId: pathId(c.req.param("id")),
        deliveryCrew: body.delivery_crew,
        status: body.status,
      },
      c.get("pendingEvents"),
    );
    return c.json(view);
  });

  app.post("/:id/cancel", async (c) => {
    const orderId = pathId(c.req.param("id"));
    return c.json(await cancelOrder(deps, { principal: principalOf(c), orderId }, c.get("pendingEvents")));
  });

  app.delete("/:id", requireRole("manager"), async (c) => {
    await deleteOrder(deps, { orderId: pathId(c.req.param("id")) }, c.get("pendingEvents"));
    return c.body(null, 204);
  });

  return app;
}

function pathId(raw: string | undefined): number {
  const id = parsePathId(raw);
  if (id === undefined) throw new AppError("not_found", "No order has that id.");
  return id;
}

async function hashBody(request: Request): Promise<string> {
  return createHash("sha256")
    .update(new Uint8Array(await request.arrayBuffer()))
    .digest("hex");
}
