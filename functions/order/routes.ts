import { Hono } from "hono";
import { principalOf, requireAuth, requireRole } from "../../shared/auth/index.ts";
import { AppError } from "../../shared/errors.ts";
import { idempotentReplay } from "../../shared/http/idempotent-replay.ts";
import {
  type AppEnv,
  body,
  pageSchema,
  parseOrdering,
  parsePage,
  parsePathId,
  query,
  readBody,
  toPage,
  validate,
} from "../../shared/http/index.ts";
import { describe } from "../../shared/openapi/describe.ts";
import type { AppDeps } from "../../shared/runtime/function.ts";
import { cancelOrder } from "./cancel-order.ts";
import { deleteOrder } from "./delete-order.ts";
import { getOrder } from "./get-order.ts";
import { listOrders } from "./list-orders.ts";
import { orderStreamRoutes } from "./live.ts";
import { placeOrder } from "./place-order.ts";
import { idempotencyKeys } from "./repository.ts";
import { listQuery, listQueryDoc, ORDERING, type OrderView, orderSchema, updateBody } from "./schemas.ts";
import { updateOrder } from "./update-order.ts";

/** A placed order is created. */
const PLACED = 201;

/** The order routes, at /api/orders and at Little Lemon's /api/cart/orders (one key space, one set). */
export function orderRoutes(deps: AppDeps): Hono<AppEnv> {
  const orders = ordersUnder(deps);
  const app = new Hono<AppEnv>();
  // The streams first, so `stream` is not read as an order id.
  app.route("/api/orders", orderStreamRoutes(deps));
  app.route("/api/orders", orders);
  app.route("/api/cart/orders", orders);
  return app;
}

function ordersUnder(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });
  const checkoutKeys = idempotentReplay<OrderView>({
    store: idempotencyKeys,
    owner: (c) => principalOf(c).id,
    status: PLACED,
  });
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
    async (c) => {
      const q = c.get("query");
      const { count, slice } = await listOrders(deps, { principal: principalOf(c), ...q });
      return c.json(toPage(c.req.url, q.page, count, slice));
    },
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
    checkoutKeys.middleware,
    async (c) => {
      // Checkout takes no fields (the server owns them all), but its body is read like any other: one
      // that is not JSON or a form, or is too large, is refused.
      await readBody(c);
      const idempotency = checkoutKeys.claimOf(c);
      const order = await placeOrder(
        deps,
        { userId: principalOf(c).id, idempotency },
        c.get("pendingEventIds"),
      );
      return c.json(order, PLACED);
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
        c.get("pendingEventIds"),
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
      return c.json(
        await cancelOrder(deps, { principal: principalOf(c), orderId }, c.get("pendingEventIds")),
      );
    },
  );

  app.delete(
    "/:id",
    describe({ summary: "Delete an order", responses: { 204: null } }),
    requireRole("manager"),
    async (c) => {
      await deleteOrder(deps, { orderId: pathId(c.req.param("id")) }, c.get("pendingEventIds"));
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
