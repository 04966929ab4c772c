import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../shared/db/types.ts";
import type { FeedPoller } from "../../shared/live/poller.ts";
import type { AppDeps } from "../../shared/runtime/function.ts";
import { applyOrderFact, type DeliveryFact, emptyDelivery } from "./delivery-record.ts";
import { insertDeliveryIfAbsent, lockDelivery, updateDelivery } from "./repository.ts";
import type { DeliveryView } from "./schemas.ts";

// What the delivery's verbs share: their deps and applying what the order said to a record.

/** What the delivery's verbs need. */
export interface DeliveryDeps {
  db: Kysely<Database>;
  /** The time of a pickup or delivery; the system clock unless a test fixes it. */
  clock?: (() => Date) | undefined;
}

/** What the delivery function's app needs: the common deps, its clock and, when a test watches it, its feed poller. */
export type DeliveryAppDeps = AppDeps & DeliveryDeps & { feedPoller?: FeedPoller<DeliveryView> | undefined };

/**
 * Brings a delivery record in line with what the order said at `version`: creates the record when it is
 * the first word about the order, else applies the fact under the record's lock when the version is
 * newer than the one it holds. True when something was written. The event path and reconciliation
 * both go through here, so the same version check and rules apply to both.
 */
export async function applyOrderState(
  trx: Transaction<Database>,
  input: { orderId: number; version: number; fact: DeliveryFact; at: Date },
): Promise<boolean> {
  const { orderId, version, fact, at } = input;
  const fresh = applyOrderFact(emptyDelivery(orderId), fact, version, at);
  if (await insertDeliveryIfAbsent(trx, fresh)) return true;
  const current = await lockDelivery(trx, orderId);
  if (!current) throw new Error(`delivery of order ${orderId} vanished while locked`);
  const next = applyOrderFact(current, fact, version, at);
  if (next === current) return false;
  await updateDelivery(trx, next);
  return true;
}
