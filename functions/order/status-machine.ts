import type { OrderStatus } from "../../shared/names.ts";

// The one place that says how an order's status may move. Every entry point (PATCH/PUT, cancel, and the
// reaction to tavola.delivery.status.changed) asks `decide`; none of them compares statuses itself.

/** What the machine needs to know of an order. */
export interface OrderState {
  status: OrderStatus;
  deliveryCrewId: number | null;
}

export type OrderCommand =
  /** A manager sets (or changes) the delivery crew member. */
  | { kind: "assign"; crewId: number }
  /** A manager, the assigned crew, or the delivery function reports a status. */
  | { kind: "set-status"; status: OrderStatus }
  /** The owner (only while placed) or a manager (until delivered) cancels. */
  | { kind: "cancel"; by: "owner" | "manager" };

/** The facts a change produces; the caller writes them to the outbox with the order's id. */
export type OrderFact =
  | { type: "tavola.order.assigned"; deliveryCrewId: number }
  | { type: "tavola.order.status.changed"; status: OrderStatus; previous: OrderStatus }
  | { type: "tavola.order.cancelled" };

export type Decision =
  | { outcome: "changed"; state: OrderState; facts: OrderFact[] }
  /** The order is already as asked: nothing is written and nothing emitted (no echo loops). */
  | { outcome: "unchanged"; state: OrderState }
  | { outcome: "rejected"; reason: string };

/**
 * The allowed moves. `assigned → delivered` skips pickup on purpose: a Little Lemon crew client marks an
 * order delivered (`status: 1`) without reporting pickup, and when delivery's "delivered" event
 * overtakes its "out_for_delivery" event the order must still reach delivered.
 */
const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  placed: ["assigned", "cancelled"],
  assigned: ["out_for_delivery", "delivered", "cancelled"],
  out_for_delivery: ["delivered", "cancelled"],
  delivered: [],
  cancelled: [],
};

/** True when an order may move from one status to the other in one step. */
export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

/** Decides one command against the order's current state; pure, no I/O. */
export function decide(state: OrderState, command: OrderCommand): Decision {
  switch (command.kind) {
    case "assign":
      return decideAssign(state, command.crewId);
    case "set-status":
      return decideStatus(state, command.status);
    case "cancel":
      if (command.by === "owner" && state.status !== "placed" && state.status !== "cancelled") {
        return {
          outcome: "rejected",
          reason: "An order can be cancelled by its owner only while it is placed.",
        };
      }
      return decideStatus(state, "cancelled");
  }
}

/**
 * Decides several commands in order (a PATCH may both assign a crew and set a status): all of them
 * apply, or the first rejection is the answer.
 */
export function decideAll(state: OrderState, commands: readonly OrderCommand[]): Decision {
  let current = state;
  const facts: OrderFact[] = [];
  for (const command of commands) {
    const decision = decide(current, command);
    if (decision.outcome === "rejected") return decision;
    if (decision.outcome === "changed") facts.push(...decision.facts);
    current = decision.state;
  }
  return facts.length > 0 ? { outcome: "changed", state: current, facts } : { outcome: "unchanged", state };
}

function decideAssign(state: OrderState, crewId: number): Decision {
  if (state.deliveryCrewId === crewId && state.status !== "placed") return { outcome: "unchanged", state };
  if (state.status !== "placed" && state.status !== "assigned") {
    return {
      outcome: "rejected",
      reason: `The delivery crew of an order that is ${label(state.status)} cannot be changed.`,
    };
  }
  const facts: OrderFact[] = [{ type: "tavola.order.assigned", deliveryCrewId: crewId }];
  if (state.status === "placed") {
    facts.push({ type: "tavola.order.status.changed", status: "assigned", previous: "placed" });
  }
  return { outcome: "changed", state: { status: "assigned", deliveryCrewId: crewId }, facts };
}

function decideStatus(state: OrderState, status: OrderStatus): Decision {
  if (state.status === status) return { outcome: "unchanged", state };
  if (!canMove(state.status, status)) {
    return {
      outcome: "rejected",
      reason: `An order that is ${label(state.status)} cannot become ${label(status)}.`,
    };
  }
  if (status === "assigned" && state.deliveryCrewId === null) {
    return { outcome: "rejected", reason: "Assign a delivery crew member to make an order assigned." };
  }
  const facts: OrderFact[] = [{ type: "tavola.order.status.changed", status, previous: state.status }];
  if (status === "cancelled") facts.push({ type: "tavola.order.cancelled" });
  return { outcome: "changed", state: { ...state, status }, facts };
}

function label(status: OrderStatus): string {
  return status.replaceAll("_", " ");
}
