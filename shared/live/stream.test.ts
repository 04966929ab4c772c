import { describe, expect, it } from "vitest";
import type { FeedRow } from "./feed.ts";
import { framesFor, type Visibility } from "./stream.ts";

const row = (seq: number, entityId: number, keys: Partial<FeedRow> = {}): FeedRow => ({
  position: { tx: 100n, seq: BigInt(seq) },
  entityId,
  userId: null,
  crewId: null,
  previousCrewId: null,
  deleted: false,
  ...keys,
});

interface View {
  id: number;
  owner: number;
}

/** User 7's view: the rows they own now; concerned by rows that named them. */
const mine: Visibility<View> = {
  canSee: (view) => view.owner === 7,
  wasConcerned: (r) => r.userId === 7 || r.previousCrewId === 7,
};

describe("the frames a caller gets from a batch", () => {
  it("one frame per row at its last change, in the order of those changes", () => {
    const views = new Map([
      [1, { id: 1, owner: 7 }],
      [2, { id: 2, owner: 7 }],
    ]);
    const rows = [row(1, 1, { userId: 7 }), row(2, 2, { userId: 7 }), row(3, 1, { userId: 7 })];
    expect(framesFor({ rows, views }, mine, "order")).toEqual([
      { id: "100-2", event: "order", data: JSON.stringify({ id: 2, owner: 7 }) },
      { id: "100-3", event: "order", data: JSON.stringify({ id: 1, owner: 7 }) },
    ]);
  });

  it("-deleted for a row that is gone or no longer the caller's, nothing for rows never theirs", () => {
    const views = new Map([
      [2, { id: 2, owner: 8 }],
      [3, { id: 3, owner: 8 }],
    ]);
    const rows = [
      row(1, 1, { userId: 7, deleted: true }),
      row(2, 2, { userId: 8, previousCrewId: 7 }),
      row(3, 3, { userId: 8 }),
    ];
    expect(framesFor({ rows, views }, mine, "delivery")).toEqual([
      { id: "100-1", event: "delivery-deleted", data: '{"id":1}' },
      { id: "100-2", event: "delivery-deleted", data: '{"id":2}' },
    ]);
  });
});
