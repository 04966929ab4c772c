import type { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { generateDocument, type OpenApiDocument } from "./generate.ts";

/** The API's version in every document (the package's). */
export const API_VERSION = "0.1.0";

/**
 * `GET /openapi.json`: the function's own OpenAPI document. It is built on the first request, not at
 * start-up, so a cold start pays nothing for it; later requests get the same text.
 */
export function mountOpenApi(app: Hono<AppEnv>, name: string): void {
  let text: string | undefined;
  app.get("/openapi.json", (c) => {
    text ??= JSON.stringify(functionDocument(app, name));
    return c.body(text, 200, { "content-type": "application/json", "cache-control": "public, max-age=300" });
  });
}

/** The document of one function's app. */
export function functionDocument(app: Hono<AppEnv>, name: string): OpenApiDocument {
  return generateDocument(app, {
    title: `Tavola ${name}`,
    version: API_VERSION,
    description: `The routes the ${name} function serves.`,
    tag: name,
  });
}
