import type { MiddlewareHandler } from "hono";
import { type OperationDoc, withDoc } from "./meta.ts";

/**
 * A route's summary and answers, as a middleware placed before its handler (hono-openapi's
 * `describeRoute` style). At request time it only calls `next()`.
 */
export function describe(doc: OperationDoc): MiddlewareHandler {
  return withDoc(async function describedRoute(_c, next) {
    await next();
  }, doc);
}
