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
  body,
  fields,
  pageQuery,
  pageSchema,
  parseOrdering,
  parsePage,
  parsePathId,
  query,
  readBody,
  validate,
} from "../../shared/http/index.ts";
import { ORDER_STATUSES } from "../../shared/names.ts";
import { describe } from "../../shared/openapi/describe.ts";
import { cancelOrder } from "./cancel-order.ts";
import { deleteOrder } from "./delete-order.ts";
import { getOrder } from "./get-order.ts";
import { listOrders } from "./list-orders.ts";
import { orderSchema } from "./order-view.ts";
import { placeOrder } from "./place-order.ts";
import { updateOrder } from "./update-order.ts";

const ORDERING = { date: "created_at", total: "total" } as const;

const listQuery = z.object({ status: z.enum(ORDER_STATUSES).optional() });
const ordering = z.string().optional().meta({ description: "date or total; a leading - sorts descending" });
/** The list's query string as documented: the status filter, ordering and page. */
const listQueryDoc = listQuery.extend(pageQuery.shape).extend({ ordering });

/** A status by name, or as Little Lemon sends it: 0/false = out for delivery, 1/true = delivered. */
const statusField = z.union(
  [
    z.enum(ORDER_STATUSES),
    fields.boolean.transform((delivered) => (delivered ? "delivered" : "out_for_delivery")),
    z.union([z.literal(0), z.literal(1)]).transform((n) => (n === 1 ? "delivered" : "out_for_delivery")),
  ],
  { error: `must be one of ${ORDER_STATUSES.join(", ")}, or 0/1` },
);

/** PATCH/PUT: a manager sets `delivery_crew` and `status`, the assigned crew `status` only. */
const updateBody = z.object({ delivery_crew: fields.id.optional(), status: statusField.optional() });

/** Idempotency keys are opaque printable text of at most 255 characters (the column's width). */
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

/** The order routes, mounted at /api/orders and at Little Lemon's /api/cart/orders. */
export function orderRoutes(deps: { db: Kysely<Database>; verify: VerifyAccessToken }): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });
  app.use("*", requireAuth(deps.verify));

  const readQuery = (q: Record<string, string>) => ({
    status: validate(listQuery, { status: q.status }).status,
    ordering: parseOrdering(q.ordering, ORDERING),
    page: parsePage(q),
  });
  app.get(
    "/",
    describe({
      summary: "List orders",
      description: "A customer sees their own, a manager all, a crew member those assigned to them.",
      responses: { 200: pageSchema(orderSchema) },
    }),
    query(listQueryDoc, readQuery),
    async (c) =>
      c.json(await listOrders(deps, { principal: principalOf(c), ...c.get("query"), url: c.req.url })),
  );

  app.post(
    "/",
    describe({
      summary: "Place an order",
      description:
        "Places an order from the caller's cart, which is empty afterwards; an empty cart is 400. " +
        "A retry with the same Idempotency-Key and the same body answers the first answer " +
        "(Idempotent-Replayed: true); the same key with another body is 422.",
      responses: { 201: orderSchema },
      errors: [400, 422],
      headers: [
        { name: "Idempotency-Key", description: "1 to 255 printable characters, scoped to the caller" },
      ],
    }),
    async (c) => {
      const key = c.req.header("idempotency-key");
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
        throw new AppError(
          "bad_request",
          "The Idempotency-Key header must be 1 to 255 printable characters.",
        );
      }
      // The body is compared byte for byte as sent; its fields are all server-owned and ignored.
      const sent = key === undefined ? undefined : c.req.raw.clone();
      await readBody(c);
      const idempotency = sent && key ? { key, requestHash: await hashBody(sent) } : undefined;
      const result = await placeOrder(
        deps,
        { userId: principalOf(c).id, idempotency },
        c.get("pendingEvents"),
      );
      if (result.replayed) c.header("idempotent-replayed", "true");
      return c.json(result.body as object, result.status as 201);
    },
  );

  app.get(
    "/:id",
    describe({
      summary: "Get an order",
      description: "The owner, a manager or the assigned crew member; anyone else gets 404.",
      responses: { 200: orderSchema },
    }),
    async (c) =>
      c.json(await getOrder(deps, { principal: principalOf(c), orderId: pathId(c.req.param("id")) })),
  );

  app.on(
    ["PATCH", "PUT"],
    "/:id",
    describe({
      summary: "Update an order",
      description:
        "A manager sets `delivery_crew` (a member of the delivery crew; a placed order becomes assigned) and " +
        "`status`; the assigned crew member `status` only (0/false = out for delivery, 1/true = delivered, " +
        "or the name). A transition not allowed is 409.",
      roles: ["manager", "delivery-crew"],
      responses: { 200: orderSchema },
      errors: [403, 409],
    }),
    body(updateBody),
    async (c) => {
      const { delivery_crew, status } = c.get("body");
      const view = await updateOrder(
        deps,
        {
          principal: principalOf(c),
          orderId: pathId(c.req.param("id")),
          deliveryCrew: delivery_crew,
          status,
        },
        c.get("pendingEvents"),
      );
      return c.json(view);
    },
  );

  app.post(
    "/:id/cancel",
    describe({
      summary: "Cancel an order",
      description: "The owner while it is placed, a manager until it is delivered.",
      responses: { 200: orderSchema },
      errors: [403, 409],
    }),
    async (c) => {
      const orderId = pathId(c.req.param("id"));
      return c.json(await cancelOrder(deps, { principal: principalOf(c), orderId }, c.get("pendingEvents")));
    },
  );

  app.delete(
    "/:id",
    describe({ summary: "Delete an order", responses: { 204: null } }),
    requireRole("manager"),
    async (c) => {
      await deleteOrder(deps, { orderId: pathId(c.req.param("id")) }, c.get("pendingEvents"));
      return c.body(null, 204);
    },
  );

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
