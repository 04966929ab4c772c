/**
 * Sends outbox rows to the broker. `publish` is called after the commit and before the HTTP answer with
 * the ids that request wrote; it never throws: what it cannot send stays pending for the sweep.
 */
export interface Publisher {
  publish(ids: readonly string[]): Promise<void>;
}

/** The publisher of a function with no broker configured (no K_SINK): everything waits for the sweep. */
export const holdingPublisher: Publisher = {
  publish: async () => {},
};
