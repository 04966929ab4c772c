import { describe, expect, it } from "vitest";
import type { OrderStatus } from "../../shared/db/types.ts";
import { canMove, decide, decideAll, type OrderState } from "./status-machine.ts";

const STATUSES: OrderStatus[] = ["placed", "assigned", "out_for_delivery", "delivered", "cancelled"];
const placed: OrderState = { status: "placed", deliveryCrewId: null };
const at = (status: OrderStatus): OrderState => ({ status, deliveryCrewId: status === "placed" ? null : 7 });

describe("canMove", () => {
  it("allows exactly the forward chain, the pickup skip and cancelling before delivered", () => {
    const allowed = STATUSES.flatMap((from) =>
      STATUSES.filter((to) => canMove(from, to)).map((to) => `${from}->${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        "placed->assigned",
        "placed->cancelled",
        "assigned->out_for_delivery",
        "assigned->delivered",
        "assigned->cancelled",
        "out_for_delivery->delivered",
        "out_for_delivery->cancelled",
      ].sort(),
    );
  });
});

describe("decide: assign", () => {
  it("assigns a placed order and reports both the assignment and the status change", () => {
    expect(decide(placed, { kind: "assign", crewId: 7 })).toEqual({
      outcome: "changed",
      state: { status: "assigned", deliveryCrewId: 7 },
      facts: [
        { type: "tavola.order.assigned", deliveryCrewId: 7 },
        { type: "tavola.order.status.changed", status: "assigned", previous: "placed" },
      ],
    });
  });

  it("reassigns an assigned order without a status change", () => {
    expect(decide(at("assigned"), { kind: "assign", crewId: 8 })).toEqual({
      outcome: "changed",
      state: { status: "assigned", deliveryCrewId: 8 },
      facts: [{ type: "tavola.order.assigned", deliveryCrewId: 8 }],
    });
  });

  it("finds the same crew already assigned: unchanged, nothing emitted", () => {
    expect(decide(at("assigned"), { kind: "assign", crewId: 7 }).outcome).toBe("unchanged");
  });

  it("refuses a new crew once the order is out for delivery, delivered or cancelled", () => {
    for (const status of ["out_for_delivery", "delivered", "cancelled"] as const) {
      expect(decide(at(status), { kind: "assign", crewId: 9 }).outcome).toBe("rejected");
    }
  });
});

describe("decide: set-status", () => {
  it("moves forward and reports the previous status", () => {
    expect(decide(at("assigned"), { kind: "set-status", status: "out_for_delivery" })).toEqual({
      outcome: "changed",
      state: { status: "out_for_delivery", deliveryCrewId: 7 },
      facts: [{ type: "tavola.order.status.changed", status: "out_for_delivery", previous: "assigned" }],
    });
  });

  it("is unchanged when the order already has that status (the echo of an event stops here)", () => {
    for (const status of STATUSES) {
      expect(decide(at(status), { kind: "set-status", status })).toEqual({
        outcome: "unchanged",
        state: at(status),
      });
    }
  });

  it("rejects every backward move and every move out of a final state", () => {
    expect(decide(at("delivered"), { kind: "set-status", status: "out_for_delivery" }).outcome).toBe(
      "rejected",
    );
    expect(decide(at("out_for_delivery"), { kind: "set-status", status: "assigned" }).outcome).toBe(
      "rejected",
    );
    expect(decide(at("cancelled"), { kind: "set-status", status: "delivered" }).outcome).toBe("rejected");
    expect(decide(at("delivered"), { kind: "set-status", status: "cancelled" }).outcome).toBe("rejected");
  });

  it("rejects out_for_delivery on a placed order (no crew yet) and assigned without a crew", () => {
    expect(decide(placed, { kind: "set-status", status: "out_for_delivery" }).outcome).toBe("rejected");
    expect(decide(placed, { kind: "set-status", status: "assigned" }).outcome).toBe("rejected");
  });

  it("cancelling through a status also reports tavola.order.cancelled", () => {
    const decision = decide(at("out_for_delivery"), { kind: "set-status", status: "cancelled" });
    expect(decision.outcome === "changed" && decision.facts.map((f) => f.type)).toEqual([
      "tavola.order.status.changed",
      "tavola.order.cancelled",
    ]);
  });
});

describe("decide: cancel", () => {
  it("lets the owner cancel only while placed", () => {
    expect(decide(placed, { kind: "cancel", by: "owner" }).outcome).toBe("changed");
    expect(decide(at("assigned"), { kind: "cancel", by: "owner" }).outcome).toBe("rejected");
  });

  it("lets a manager cancel until delivered", () => {
    for (const status of ["placed", "assigned", "out_for_delivery"] as const) {
      const decision = decide(at(status), { kind: "cancel", by: "manager" });
      expect(decision.outcome === "changed" && decision.state.status).toBe("cancelled");
    }
    expect(decide(at("delivered"), { kind: "cancel", by: "manager" }).outcome).toBe("rejected");
  });

  it("finds a cancelled order already cancelled: unchanged for anyone", () => {
    expect(decide(at("cancelled"), { kind: "cancel", by: "owner" }).outcome).toBe("unchanged");
    expect(decide(at("cancelled"), { kind: "cancel", by: "manager" }).outcome).toBe("unchanged");
  });
});

describe("decideAll", () => {
  it("applies an assignment and a status in order, collecting every fact", () => {
    const decision = decideAll(placed, [
      { kind: "assign", crewId: 7 },
      { kind: "set-status", status: "out_for_delivery" },
    ]);
    expect(decision).toEqual({
      outcome: "changed",
      state: { status: "out_for_delivery", deliveryCrewId: 7 },
      facts: [
        { type: "tavola.order.assigned", deliveryCrewId: 7 },
        { type: "tavola.order.status.changed", status: "assigned", previous: "placed" },
        { type: "tavola.order.status.changed", status: "out_for_delivery", previous: "assigned" },
      ],
    });
  });

  it("answers the first rejection and nothing else", () => {
    const decision = decideAll(placed, [
      { kind: "assign", crewId: 7 },
      { kind: "set-status", status: "placed" },
    ]);
    expect(decision.outcome).toBe("rejected");
  });

  it("is unchanged when every command finds the state as asked", () => {
    expect(
      decideAll(at("assigned"), [
        { kind: "assign", crewId: 7 },
        { kind: "set-status", status: "assigned" },
      ]),
    ).toEqual({ outcome: "unchanged", state: at("assigned") });
  });
});
