import type { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import type { FunctionContext, FunctionDefinition } from "./function.ts";

/**
 * Builds a function's complete app: its own routes (`definition.build`) plus what every function serves
 * the same way. The one place that does this, for `main.ts`, the local stack and tests alike.
 */
export async function assembleFunction(
  definition: FunctionDefinition,
  ctx: FunctionContext,
): Promise<Hono<AppEnv>> {
  const app = await definition.build(ctx);
  return app;
}
