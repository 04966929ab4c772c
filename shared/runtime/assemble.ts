import type { Hono } from "hono";
import { mountEventing } from "../events/edges/eventing.ts";
import { requireSender } from "../events/identity/sender-identity.ts";
import { createEventMetrics } from "../events/metrics.ts";
import type { AppEnv } from "../http/env.ts";
import { mountOpenApi } from "../openapi/serve.ts";
import type { FunctionContext, FunctionDefinition } from "./function.ts";

/**
 * Builds a function's complete app: its own routes (`definition.build`) plus what every function serves
 * the same way: `POST /events` with the definition's handlers (and the outbox sweep on a ping),
 * `POST /events/dead-letter`, the managers' `/api/dead-letters/<name>` routes, `GET /metrics` and `GET /openapi.json`. The
 * one place that does this, for `main.ts`, the local stack and tests alike.
 */
export async function assembleFunction(
  definition: FunctionDefinition,
  ctx: FunctionContext,
): Promise<Hono<AppEnv>> {
  const app = await definition.build(ctx);
  // Before the event routes: a delivery whose sender does not verify is refused with nothing read.
  app.use(requireSender(ctx.verifySender));
  mountEventing(app, {
    name: definition.name,
    handlers: definition.events ?? {},
    onPing: definition.onPing,
    db: ctx.db,
    logger: ctx.logger,
    publisher: ctx.publisher,
    verify: ctx.verify,
    metrics: createEventMetrics(),
    options: ctx.eventing,
  });
  mountOpenApi(app, definition.name);
  return app;
}
