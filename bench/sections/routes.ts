import type { BenchContext } from "../lib/context.ts";
import { emptyCarts, fillCarts } from "../lib/database.ts";
import type { LoadRequest } from "../lib/load.ts";

// The four routes under load, what each request is, and the state every run starts from. Both sides
// of a comparison get the same sequence of requests from the same starting state.

export interface RouteBench {
  key: "menu-list" | "menu-item" | "cart-add" | "checkout";
  label: string;
  /** The function that serves it. */
  fn: "menu" | "cart" | "order";
  /** Throughput at saturation must be at least this share of the baseline's. */
  minRatio: number;
  /** A fresh request generator (its counter starts at zero) for one run. */
  requests(): () => LoadRequest;
  /** Brings the database to the run's starting state. */
  prepare?(): Promise<void>;
  /** What one request does, for the notes. */
  describe: string;
}

export function routeBenches(ctx: BenchContext): RouteBench[] {
  const { seeded, customerTokens } = ctx;
  const items = seeded.itemIds;
  const categories = seeded.categoryIds;
  const bearer = (i: number) => ({ authorization: `Bearer ${customerTokens[i % customerTokens.length]}` });
  return [
    {
      key: "menu-list",
      label: "GET /api/menu-items (category, ordering, page of 20)",
      fn: "menu",
      minRatio: 0.85,
      describe: `a page of 20 of one category's ${ctx.settings.itemsPerCategory} items ordered by price, the category cycling through all ${categories.length}`,
      requests: () => {
        let i = 0;
        return () => ({
          method: "GET",
          path: `/api/menu-items?category=${categories[i++ % categories.length]}&ordering=price&perpage=20`,
        });
      },
    },
    {
      key: "menu-item",
      label: "GET /api/menu-items/{id}",
      fn: "menu",
      minRatio: 0.85,
      describe: `one item with its category, the id cycling through all ${items.length}`,
      requests: () => {
        let i = 0;
        return () => ({ method: "GET", path: `/api/menu-items/${items[i++ % items.length]}` });
      },
    },
    {
      key: "cart-add",
      label: "POST /api/cart/menu-items",
      fn: "cart",
      minRatio: 0.75,
      describe:
        "adds one item (quantity 1) to a customer's cart, customers taken in turn, carts emptied before each run, so nearly every add inserts a new line",
      prepare: () => emptyCarts(ctx.database.db),
      requests: () => {
        let i = 0;
        return () => {
          const n = i++;
          const item = items[(n * 7 + Math.floor(n / customerTokens.length)) % items.length];
          return {
            method: "POST",
            path: "/api/cart/menu-items",
            headers: bearer(n),
            body: JSON.stringify({ menuitem: item, quantity: 1 }),
          };
        };
      },
    },
    {
      key: "checkout",
      label: "POST /api/orders (checkout)",
      fn: "order",
      minRatio: 0.6,
      describe: `places an order from a cart of 3 lines, each request as a different customer (${customerTokens.length} customers, carts refilled by SQL before each run); no Idempotency-Key; with K_SINK set (as in the cluster) to a stand-in broker ingress that accepts with 202, so each checkout also claims its outbox row, POSTs the event and marks it sent before answering`,
      prepare: () => fillCarts(ctx.database.db, 3),
      requests: () => {
        let i = 0;
        return () => ({ method: "POST", path: "/api/orders", headers: bearer(i++) });
      },
    },
  ];
}
