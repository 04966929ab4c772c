import { describe, expect, it } from "vitest";
import { holdingPublisher } from "../events/outbox/publisher.ts";
import { quietLogger } from "../testing/event-fixtures.ts";
import { useTestDb } from "../testing/index.ts";
import { publisherFromConfig } from "./run-function.ts";

const t = useTestDb();

describe("publisherFromConfig", () => {
  it("sends to K_SINK when it is set", () => {
    const publisher = publisherFromConfig(
      { K_SINK: "http://broker-ingress.test/tavola/default" },
      { db: t.db, logger: quietLogger },
    );
    expect(publisher).not.toBe(holdingPublisher);
    expect(publisher.send).toEqual(expect.any(Function));
  });

  it("holds every event for the sweep without one", () => {
    expect(publisherFromConfig({ K_SINK: undefined }, { db: t.db, logger: quietLogger })).toBe(
      holdingPublisher,
    );
  });
});
