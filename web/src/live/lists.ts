import type { Api, Delivery, Order } from "../api.ts";
import { unwrap } from "../api.ts";

// The live lists the pages show: how each loads, which stream keeps it current, and its order.

const OPEN = new Set(["unassigned", "placed", "assigned", "out_for_delivery"]);

export function ordersSpec(api: Api) {
  return {
    load: async (): Promise<Order[]> =>
      unwrap(await api.client.GET("/api/orders", { params: { query: { perpage: 100, ordering: "-date" } } }))
        .results,
    streamPath: "/api/orders/stream",
    eventName: "order",
    key: (order: Order) => order.id,
    sort: (a: Order, b: Order) => b.id - a.id,
  };
}

export function deliveriesSpec(api: Api) {
  return {
    load: async (): Promise<Delivery[]> =>
      unwrap(await api.client.GET("/api/deliveries", { params: { query: { perpage: 100 } } })).results,
    streamPath: "/api/deliveries/stream",
    eventName: "delivery",
    key: (delivery: Delivery) => delivery.order_id,
    // Open ones first, as the API lists them; newest first within each.
    sort: (a: Delivery, b: Delivery) =>
      Number(OPEN.has(b.status)) - Number(OPEN.has(a.status)) || b.order_id - a.order_id,
  };
}
