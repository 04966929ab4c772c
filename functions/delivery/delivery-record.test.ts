import { describe, expect, it } from "vitest";
import {
  applyOrderFact,
  type DeliveryFact,
  type DeliveryRecord,
  decideCrewAction,
  emptyDelivery,
} from "./delivery-record.ts";

const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));
/** An order event as delivery receives it: what it says, the order's version, when it was stamped. */
type Versioned = [DeliveryFact, number, Date];

function replay(facts: readonly Versioned[]): DeliveryRecord {
  return facts.reduce(
    (record, [fact, version, at]) => applyOrderFact(record, fact, version, at),
    emptyDelivery(1),
  );
}

/** What the order decides; the times a step is stamped with are informational and arrival-dependent. */
const state = (record: DeliveryRecord) => ({
  status: record.status,
  deliveryCrewId: record.deliveryCrewId,
  orderVersion: record.orderVersion,
});

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

// The events the order function emits for one order, each with the order's version after its change
// (one change may emit two events of the same version).
const lifecycle: Versioned[] = [
  [{ kind: "placed" }, 1, t(0)],
  [{ kind: "assigned", crewId: 7 }, 2, t(1)],
  [{ kind: "status", status: "assigned", crewId: 7 }, 2, t(1)],
  [{ kind: "status", status: "out_for_delivery", crewId: 7 }, 3, t(2)],
  [{ kind: "status", status: "delivered", crewId: 7 }, 4, t(3)],
];

describe("applyOrderFact", () => {
  it("follows a lifecycle that arrives in order", () => {
    expect(replay(lifecycle)).toEqual({
      orderId: 1,
      deliveryCrewId: 7,
      status: "delivered",
      assignedAt: t(1),
      pickedUpAt: t(2),
      deliveredAt: t(3),
      cancelledAt: null,
      version: 1,
      orderVersion: 4,
    });
  });

  it("ends in the newest state for every arrival order of the same events (120 orders)", () => {
    const expected = state(replay(lifecycle));
    for (const order of permutations(lifecycle)) expect(state(replay(order))).toEqual(expected);
  });

  it("ends cancelled for every arrival order when a cancel is the newest change", () => {
    const withCancel: Versioned[] = [
      ...lifecycle.slice(0, 4),
      [{ kind: "status", status: "cancelled", crewId: 7 }, 4, t(5)],
      [{ kind: "cancelled", crewId: 7 }, 4, t(5)],
    ];
    const expected = state(replay(withCancel));
    expect(expected).toEqual({ status: "cancelled", deliveryCrewId: 7, orderVersion: 4 });
    for (const order of permutations(withCancel)) expect(state(replay(order))).toEqual(expected);
  });

  it("gives the crew of the newest version, even when its event is stamped earlier (time decides nothing)", () => {
    // Two managers assign at once: the transaction that started first (earlier time) committed last.
    const reassign: Versioned[] = [
      [{ kind: "placed" }, 1, t(0)],
      [{ kind: "assigned", crewId: 8 }, 2, t(4)],
      [{ kind: "status", status: "assigned", crewId: 8 }, 2, t(4)],
      [{ kind: "assigned", crewId: 7 }, 3, t(1)],
      [{ kind: "status", status: "out_for_delivery", crewId: 7 }, 4, t(5)],
    ];
    for (const order of permutations(reassign)) {
      expect(state(replay(order))).toEqual({
        status: "out_for_delivery",
        deliveryCrewId: 7,
        orderVersion: 4,
      });
    }
    for (const order of permutations(reassign.slice(0, 4))) {
      expect(state(replay(order))).toEqual({ status: "assigned", deliveryCrewId: 7, orderVersion: 3 });
    }
  });

  it("returns the very same record for a replayed, equal or older version (nothing to write)", () => {
    const record = replay(lifecycle);
    for (const [fact, version, at] of lifecycle) {
      expect(applyOrderFact(record, fact, version, at)).toBe(record);
    }
    const assigned = replay(lifecycle.slice(0, 2));
    expect(applyOrderFact(assigned, { kind: "assigned", crewId: 9 }, 2, t(9))).toBe(assigned);
  });

  it("keeps the crew's own progress when the order's newer event is behind it", () => {
    const picked = {
      ...replay(lifecycle.slice(0, 3)),
      status: "out_for_delivery" as const,
      pickedUpAt: t(2),
    };
    const next = applyOrderFact(picked, { kind: "status", status: "assigned", crewId: 7 }, 3, t(3));
    expect(state(next)).toEqual({ status: "out_for_delivery", deliveryCrewId: 7, orderVersion: 3 });
  });
});

describe("decideCrewAction", () => {
  const assigned = replay(lifecycle.slice(0, 3));

  it("picks up an assigned delivery and delivers a picked-up one, stamping the times", () => {
    const picked = decideCrewAction(assigned, "pickup", t(2));
    expect(picked).toEqual({
      outcome: "changed",
      record: { ...assigned, status: "out_for_delivery", pickedUpAt: t(2) },
    });
    const delivered = decideCrewAction(
      picked.outcome === "changed" ? picked.record : assigned,
      "deliver",
      t(3),
    );
    expect(delivered).toMatchObject({
      outcome: "changed",
      record: { status: "delivered", deliveredAt: t(3) },
    });
  });

  it("is unchanged when repeated, and refuses steps out of order or on closed deliveries", () => {
    const picked = { ...assigned, status: "out_for_delivery" as const, pickedUpAt: t(2) };
    expect(decideCrewAction(picked, "pickup", t(4)).outcome).toBe("unchanged");
    expect(decideCrewAction(assigned, "deliver", t(4))).toEqual({
      outcome: "rejected",
      reason: "Pick the order up before marking it delivered.",
    });
    expect(decideCrewAction(emptyDelivery(1), "pickup", t(4)).outcome).toBe("rejected");
    expect(decideCrewAction({ ...assigned, status: "cancelled" }, "pickup", t(4)).outcome).toBe("rejected");
    expect(decideCrewAction({ ...assigned, status: "delivered" }, "pickup", t(4)).outcome).toBe("rejected");
  });
});
