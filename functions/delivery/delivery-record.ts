import type { DeliveryStatus, OrderStatus } from "../../shared/db/types.ts";

// The delivery function learns about orders only from events, which may arrive late, twice or out of
// order. Each event is merged into the record by `mergeFact`, which never moves a record backwards, so
// any arrival order of the same events ends in the same record.

/** A delivery as the delivery function keeps it. */
export interface DeliveryRecord {
  orderId: number;
  deliveryCrewId: number | null;
  status: DeliveryStatus;
  assignedAt: Date | null;
  pickedUpAt: Date | null;
  deliveredAt: Date | null;
  cancelledAt: Date | null;
}

/** What an order event says about a delivery. */
export type DeliveryFact =
  | { kind: "placed" }
  | { kind: "assigned"; crewId: number }
  | { kind: "status"; status: OrderStatus }
  | { kind: "cancelled" };

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
  };
}

/**
 * Merges one fact, observed at `at`, into a record: the status rises to the fact's when that is
 * higher and never falls; the time of a step is kept even when it arrives after a later step (a late
 * "out for delivery" still tells when it was picked up); a crew assignment is taken unless the record
 * holds one made later (a stale reassignment loses). So any arrival order of the same facts gives the
 * same record. Pure; returns the very same object when the fact adds nothing.
 */
export function mergeFact(record: DeliveryRecord, fact: DeliveryFact, at: Date): DeliveryRecord {
  const target = statusOf(fact);
  let next = stamp(record, target, at);
  if (RANK[target] > RANK[next.status]) next = { ...next, status: target };
  if (fact.kind === "assigned" && takesCrew(record, fact.crewId, at)) {
    next = { ...next, deliveryCrewId: fact.crewId, assignedAt: at };
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
  return { outcome: "changed", record: mergeFact(record, { kind: "status", status: to }, at) };
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

function takesCrew(record: DeliveryRecord, crewId: number, at: Date): boolean {
  if (record.deliveryCrewId === crewId) return false;
  return record.deliveryCrewId === null || record.assignedAt === null || at >= record.assignedAt;
}
