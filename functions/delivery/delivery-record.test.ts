import { describe, expect, it } from "vitest";
import {
  type DeliveryFact,
  type DeliveryRecord,
  decideCrewAction,
  emptyDelivery,
  mergeFact,
} from "./delivery-record.ts";

const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));
type Timed = [DeliveryFact, Date];

function replay(facts: readonly Timed[]): DeliveryRecord {
  return facts.reduce((record, [fact, at]) => mergeFact(record, fact, at), emptyDelivery(1));
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

const lifecycle: Timed[] = [
  [{ kind: "placed" }, t(0)],
  [{ kind: "assigned", crewId: 7 }, t(1)],
  [{ kind: "status", status: "assigned" }, t(1)],
  [{ kind: "status", status: "out_for_delivery" }, t(2)],
  [{ kind: "status", status: "delivered" }, t(3)],
];

describe("mergeFact", () => {
  it("follows a lifecycle that arrives in order", () => {
    expect(replay(lifecycle)).toEqual({
      orderId: 1,
      deliveryCrewId: 7,
      status: "delivered",
      assignedAt: t(1),
      pickedUpAt: t(2),
      deliveredAt: t(3),
      cancelledAt: null,
    });
  });

  it("ends in the same record for every arrival order of the same events (120 orders)", () => {
    const expected = replay(lifecycle);
    for (const order of permutations(lifecycle)) expect(replay(order)).toEqual(expected);
  });

  it("keeps a record cancelled whatever arrives after, and whatever came before", () => {
    const withCancel: Timed[] = [...lifecycle.slice(0, 4), [{ kind: "cancelled" }, t(5)]];
    const expected = replay(withCancel);
    expect(expected).toMatchObject({ status: "cancelled", deliveryCrewId: 7, cancelledAt: t(5) });
    for (const order of permutations(withCancel)) expect(replay(order)).toEqual(expected);
  });

  it("creates a record as cancelled when the cancel comes first; a late placed does not reopen it", () => {
    const cancelled = mergeFact(emptyDelivery(1), { kind: "cancelled" }, t(5));
    expect(cancelled.status).toBe("cancelled");
    expect(mergeFact(cancelled, { kind: "placed" }, t(0))).toBe(cancelled);
  });

  it("takes a crew assignment that arrives after delivered, without moving the status back", () => {
    const delivered = mergeFact(emptyDelivery(1), { kind: "status", status: "delivered" }, t(3));
    expect(mergeFact(delivered, { kind: "assigned", crewId: 7 }, t(1))).toMatchObject({
      status: "delivered",
      deliveryCrewId: 7,
      assignedAt: t(1),
    });
  });

  it("lets the later of two reassignments win whichever arrives last", () => {
    const first: Timed = [{ kind: "assigned", crewId: 7 }, t(1)];
    const second: Timed = [{ kind: "assigned", crewId: 8 }, t(2)];
    expect(replay([first, second])).toMatchObject({ deliveryCrewId: 8, assignedAt: t(2) });
    expect(replay([second, first])).toMatchObject({ deliveryCrewId: 8, assignedAt: t(2) });
  });

  it("returns the very same record for a duplicate or stale fact (nothing to write)", () => {
    const record = replay(lifecycle);
    for (const [fact, at] of lifecycle) expect(mergeFact(record, fact, at)).toBe(record);
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
