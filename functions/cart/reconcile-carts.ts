import { withTransaction } from "../../shared/db/index.ts";
import { type ReconcileWindow, reconcileWindow } from "../../shared/db/reconcile-window.ts";
import type { PingContext } from "../../shared/events/index.ts";
import * as carts from "./repository.ts";

// The cart's reconciliation: on each PingSource tick, the lines of a menu item changed within the window
// that still hold an older menu version (the tavola.menu.item.changed that would have repriced them went
// missing) are repriced through the very query the event takes (`repriceLines`, version check included).
// A deleted item needs nothing here: its lines go with it in the deletion's own transaction (the foreign
// key cascades), so no lost event can leave one behind. Each repair is a warning and a counted metric.

/** The cart function's reconciliation; answers counts for the ping's report. */
export async function reconcileCarts(
  ctx: PingContext,
  window: ReconcileWindow = reconcileWindow(),
): Promise<Record<string, number>> {
  let repaired = 0;
  for (const item of await carts.itemsAhead(ctx.db, window)) {
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
