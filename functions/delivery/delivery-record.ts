import type { DeliveryStatus, OrderStatus } from "../../shared/db/types.ts";

// The delivery function learns about orders only from events, which may arrive late, twice or out of
// order. Each carries the order's version; `applyOrderFact` takes only a version newer than the one the
// record holds (an older or equal one changes nothing), and every order event states the order's status
// and crew as of its version, so the newest one alone decides, whatever the arrival order. Event times
// decide nothing: a transaction that started first may commit last.

/** A delivery as the delivery function keeps it. */
export interface DeliveryRecord {
  orderId: number;
  deliveryCrewId: number | null;
  status: DeliveryStatus;
  assignedAt: Date | null;
  pickedUpAt: Date | null;
  deliveredAt: Date | null;
  cancelledAt: Date | null;
  /** The record's own version, raised by every change to it; tavola.delivery.status.changed carries it. */
  version: number;
  /** The newest order version applied to the record (0: none yet). */
  orderVersion: number;
}

/** What an order event says about a delivery: the order's status and crew as of its version. */
export type DeliveryFact =
  | { kind: "placed" }
  | { kind: "assigned"; crewId: number }
  | { kind: "status"; status: OrderStatus; crewId: number | null }
  | { kind: "cancelled"; crewId: number | null };

/**
 * How far along a delivery is. A record only moves up. Cancelled is highest: the order function owns
 * an order's fate, and once it cancelled an order (even while a delivery was being marked delivered)
 * the delivery must end cancelled too, or the two functions would disagree forever.
 */
export const RANK: Record<DeliveryStatus, number> = {
  unassigned: 0,
  placed: 0,
  assigned: 1,
  out_for_delivery: 2,
  delivered: 3,
  cancelled: 4,
};

/** True for a delivery nobody will work on any more. */
export function isClosed(status: DeliveryStatus): boolean {
  return status === "delivered" || status === "cancelled";
}

/** The record of an order the delivery function has heard nothing about yet. */
export function emptyDelivery(orderId: number): DeliveryRecord {
  return {
    orderId,
    deliveryCrewId: null,
    status: "unassigned",
    assignedAt: null,
    pickedUpAt: null,
    deliveredAt: null,
    cancelledAt: null,
    version: 1,
    orderVersion: 0,
  };
}

/**
 * Applies an order event of version `orderVersion` to a record: nothing (the very same record) unless
 * the version is newer than the record's; otherwise the fact is merged and the version remembered.
 */
export function applyOrderFact(
  record: DeliveryRecord,
  fact: DeliveryFact,
  orderVersion: number,
  at: Date,
): DeliveryRecord {
  if (orderVersion <= record.orderVersion) return record;
  return { ...mergeFact(record, fact, at), orderVersion };
}

/**
 * Merges one fact, observed at `at`, into a record: the status rises to the fact's when that is higher
 * and never falls (the crew's own pickup may be ahead of the order); the crew the fact names is taken.
 * Callers pass only facts newer than the record (`applyOrderFact`), so a stale crew never wins. Pure;
 * returns the very same object when the fact adds nothing.
 */
export function mergeFact(record: DeliveryRecord, fact: DeliveryFact, at: Date): DeliveryRecord {
  const target = statusOf(fact);
  let next = stamp(record, target, at);
  if (RANK[target] > RANK[next.status]) next = { ...next, status: target };
  const crewId = fact.kind === "placed" ? null : fact.crewId;
  if (crewId !== null && crewId !== record.deliveryCrewId) {
    next = { ...next, deliveryCrewId: crewId, assignedAt: at };
  }
  return next;
}

export type CrewAction = "pickup" | "deliver";

export type CrewDecision =
  | { outcome: "changed"; record: DeliveryRecord }
  | { outcome: "unchanged"; record: DeliveryRecord }
  | { outcome: "rejected"; reason: string };

/** The assigned crew member picks an order up (from assigned) or delivers it (once picked up). */
export function decideCrewAction(record: DeliveryRecord, action: CrewAction, at: Date): CrewDecision {
  const [from, to] =
    action === "pickup"
      ? (["assigned", "out_for_delivery"] as const)
      : (["out_for_delivery", "delivered"] as const);
  if (record.status === to) return { outcome: "unchanged", record };
  if (record.status !== from) {
    const reason =
      action === "deliver" && record.status === "assigned"
        ? "Pick the order up before marking it delivered."
        : `A delivery that is ${record.status.replaceAll("_", " ")} cannot be ${action === "pickup" ? "picked up" : "delivered"}.`;
    return { outcome: "rejected", reason };
  }
  return {
    outcome: "changed",
    record: mergeFact(record, { kind: "status", status: to, crewId: record.deliveryCrewId }, at),
  };
}

function statusOf(fact: DeliveryFact): DeliveryStatus {
  switch (fact.kind) {
    case "placed":
      return "unassigned";
    case "assigned":
      return "assigned";
    case "cancelled":
      return "cancelled";
    case "status":
      return fact.status === "placed" ? "unassigned" : fact.status;
  }
}

/** Records when the delivery reached a step, unless that is known already. */
function stamp(record: DeliveryRecord, status: DeliveryStatus, at: Date): DeliveryRecord {
  const field = STAMPS[status];
  if (!field || record[field] !== null) return record;
  return { ...record, [field]: at };
}

const STAMPS: Partial<Record<DeliveryStatus, "pickedUpAt" | "deliveredAt" | "cancelledAt">> = {
  out_for_delivery: "pickedUpAt",
  delivered: "deliveredAt",
  cancelled: "cancelledAt",
};
