import type { Kysely } from "kysely";
import { withTransaction } from "../../shared/db/index.ts";
import type { Database } from "../../shared/db/types.ts";
import type { PingContext } from "../../shared/events/index.ts";
import * as carts from "./repository.ts";

// The cart's reconciliation: on each PingSource tick, the lines of a menu item changed within the window
// that still hold an older menu version (the tavola.menu.item.changed that would have repriced them went
// missing) are repriced through the very query the event takes (`repriceLines`, version check included).
// A deleted item needs nothing here: its lines go with it in the deletion's own transaction (the foreign
// key cascades), so no lost event can leave one behind. Each repair is a warning and a counted metric.

export interface ReconcileCartsOptions {
  /** Only items changed within this window are compared (default 24 h; indexed). */
  windowMs?: number;
  /** Items changed more recently than this are left to their events (default 30 s). */
  graceMs?: number;
  /** At most this many items per tick (default 500). */
  limit?: number;
}

const DEFAULTS = { windowMs: 24 * 3_600_000, graceMs: 30_000, limit: 500 };

/** Menu items changed in the window that some cart line holds at an older version. */
async function itemsAhead(db: Kysely<Database>, options: Required<ReconcileCartsOptions>, now: Date) {
  return db
    .selectFrom("menu_items as m")
    .select(["m.id", "m.version"])
    .where("m.updated_at", ">=", new Date(now.getTime() - options.windowMs))
    .where("m.updated_at", "<", new Date(now.getTime() - options.graceMs))
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom("cart_items as c")
          .select("c.id")
          .whereRef("c.menuitem_id", "=", "m.id")
          .whereRef("c.menu_version", "<", "m.version"),
      ),
    )
    .orderBy("m.updated_at")
    .limit(options.limit)
    .execute();
}

/** The cart function's reconciliation; answers counts for the ping's report. */
export async function reconcileCarts(
  ctx: PingContext,
  options: ReconcileCartsOptions = {},
  now = new Date(),
): Promise<Record<string, number>> {
  const settings = { ...DEFAULTS, ...options };
  let repaired = 0;
  for (const item of await itemsAhead(ctx.db, settings, now)) {
    const lines = await withTransaction(ctx.db, (trx) => carts.repriceLines(trx, item.id, item.version));
    if (lines > 0) {
      repaired += lines;
      ctx.metrics.increment("tavola_reconciliation_repairs_total", { kind: "cart_line_repriced" }, lines);
      ctx.logger.warn("cart lines repriced: a menu item event went missing", {
        menuItemId: item.id,
        version: item.version,
        lines,
      });
    }
  }
  return { cart_lines_repaired: repaired };
}
