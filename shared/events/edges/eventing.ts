import type { Hono } from "hono";
import type { VerifyAccessToken } from "../../auth/verifier.ts";
import type { AppEnv } from "../../http/env.ts";
import { sourceOf } from "../catalogue.ts";
import { formatLabels } from "../metrics.ts";
import { countUnsent } from "../outbox/store.ts";
import type { ConsumerDeps } from "../receive/apply.ts";
import type { EventHandlers } from "../receive/handlers.ts";
import { mountDeadLetterRoutes } from "./dead-letter-routes.ts";
import { mountReceiver, type ReceiverOptions } from "./receiver.ts";

/**
 * Everything a function serves for its events, the same way for every function: `POST /events`,
 * `POST /events/dead-letter`, the managers' dead-letter routes, and `GET /metrics` (Prometheus text;
 * like `/events` it is never routed by the public gateway).
 */
export function mountEventing(
  app: Hono<AppEnv>,
  options: ReceiverOptions & { handlers: EventHandlers; verify: VerifyAccessToken },
): void {
  const consumer: ConsumerDeps = {
    db: options.db,
    consumer: options.name,
    handlers: options.handlers,
    logger: options.logger,
  };
  mountReceiver(app, options, consumer);
  mountDeadLetterRoutes(app, consumer, options.verify);

  app.get("/metrics", async (c) => {
    const source = sourceOf(options.name);
    // Durable numbers come from the database: a scaled-to-zero pod forgets its counters.
    // Only the unsent rows, through partial indexes: the cost does not grow with the sent history.
    const rows = await countUnsent(options.db, source);
    const gauge = [
      "# HELP tavola_outbox_rows Outbox rows of this function's source still to send or given up on, by status.",
      "# TYPE tavola_outbox_rows gauge",
      ...(["pending", "abandoned"] as const).map(
        (status) => `tavola_outbox_rows${formatLabels({ source, status })} ${rows[status]}`,
      ),
    ];
    return c.text(`${options.metrics.render()}${gauge.join("\n")}\n`, 200, {
      "content-type": "text/plain; version=0.0.4; charset=utf-8",
    });
  });
}
