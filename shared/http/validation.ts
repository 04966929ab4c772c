import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import { withDoc } from "../openapi/meta.ts";
import { readBody } from "./body.ts";
import { validate } from "./validate.ts";

/**
 * Middleware that reads the request body (JSON or form, see `readBody`), validates it with the schema
 * and hands the result to the handler as `c.var.body`. The schema is also what the OpenAPI document
 * shows for the route, so the two cannot differ.
 */
export function body<S extends z.ZodType>(
  schema: S,
): MiddlewareHandler<{ Variables: { body: z.output<S> } }> {
  return withDoc(
    async function validateBody(c, next) {
      c.set("body", validate(schema, await readBody(c)));
      await next();
    },
    { body: schema },
  );
}

/**
 * Middleware that validates the query string and hands the result to the handler as `c.var.query`.
 * `parse` is the route's own reading of the query when it does more than the schema (orderings, pages,
 * empty parameters); it must validate with the same schema, which is what the document shows.
 */
export function query<S extends z.ZodObject, T = z.output<S>>(
  schema: S,
  parse?: (query: Record<string, string>) => T,
): MiddlewareHandler<{ Variables: { query: T } }> {
  const read = parse ?? ((q: Record<string, string>) => validate(schema, q) as T);
  return withDoc(
    async function validateQuery(c, next) {
      c.set("query", read(c.req.query()));
      await next();
    },
    { query: schema },
  );
}
