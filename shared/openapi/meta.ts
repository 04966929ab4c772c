import type { z } from "zod";

/** Where a middleware or handler carries what the OpenAPI generator reads about its route. */
export const OPERATION_DOC = Symbol.for("tavola.openapi.operation");

/**
 * A response body: a zod schema (JSON), null for none (204), or a schema under another media type (the
 * live streams' `text/event-stream`).
 */
export type ResponseBody = z.ZodType | null | { mediaType: string; schema: z.ZodType };

/**
 * What a route says about itself. Several middlewares of one route each add a part (the body schema,
 * the auth, the roles, the responses); the generator merges them in the order of the chain.
 */
export interface OperationDoc {
  summary?: string;
  description?: string;
  tags?: string[];
  /** The request body schema (the one `body()` validates with). */
  body?: z.ZodType;
  /** The query string schema (the one `query()` validates with). */
  query?: z.ZodObject;
  /** An access token is required. */
  auth?: boolean;
  /** Any of these roles is required (after `auth`). */
  roles?: string[];
  /** Success answers by status. */
  responses?: Record<number, ResponseBody>;
  /** Problem answers this route gives besides those every route may give. */
  errors?: number[];
  /** Request headers the route reads. */
  headers?: { name: string; description: string }[];
}

type Documented<F> = F & { [OPERATION_DOC]: OperationDoc };

/** Attaches a route's description to one of its handlers; the handler itself is unchanged. */
export function withDoc<F extends object>(handler: F, doc: OperationDoc): Documented<F> {
  return Object.assign(handler, { [OPERATION_DOC]: doc });
}

/** The description a handler carries, if any. */
export function docOf(handler: unknown): OperationDoc | undefined {
  if (typeof handler !== "function") return undefined;
  return (handler as Partial<Documented<object>>)[OPERATION_DOC];
}
