import type { Hono } from "hono";
import { mountEventing } from "../events/edges/eventing.ts";
import { requireSender } from "../events/identity/sender-identity.ts";
import { createEventMetrics } from "../events/metrics.ts";
import { createFunctionApp } from "../http/create-app.ts";
import type { AppEnv } from "../http/env.ts";
import { mountOpenApi } from "../openapi/serve.ts";
import type { AppDeps, FunctionContext, FunctionDefinition } from "./function.ts";

/**
 * A function's HTTP app: the shared frame (request ids, logging, CORS, publishing, throttling, errors,
 * health) with the definition's routes. What the route tests build; `assembleFunction` adds the rest.
 */
export function createApp<Deps extends AppDeps>(
  definition: FunctionDefinition<Deps>,
  deps: Deps,
): Hono<AppEnv> {
  const app = createFunctionApp(deps);
  app.route("/", definition.http(deps));
  return app;
}

/**
 * Builds a function's complete app: its own routes (`createApp`) plus what every function serves
 * the same way: `POST /events` with the definition's handlers (and the outbox sweep on a ping),
 * `POST /events/dead-letter`, the managers' `/api/dead-letters/<name>` routes, `GET /metrics` and
 * `GET /openapi.json`. The one place that does this, for `main.ts`, the local stack and tests alike.
 */
export async function assembleFunction<Deps extends AppDeps>(
  definition: FunctionDefinition<Deps>,
  ctx: FunctionContext,
): Promise<Hono<AppEnv>> {
  const app = createApp(definition, await definition.deps(ctx));
  // Before the event routes: a delivery whose sender does not verify is refused with nothing read.
  app.use(requireSender(ctx.verifySender));
  mountEventing(app, {
    name: definition.name,
    handlers: definition.events,
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
