import type { OpenApiDocument } from "./generate.ts";
import { API_VERSION } from "./serve.ts";

const DESCRIPTION = [
  "Tavola's public API: the five functions behind the gateway, one document.",
  "Errors are application/problem+json (RFC 9457). Send `Authorization: Bearer <access token>`",
  '(or djoser\'s "Token <access token>"); get one from POST /api/token. A trailing slash is optional',
  "on every path. docs/api.md in the repository is the contract in words.",
].join(" ");

/**
 * The gateway's document: every function's paths and schemas in one. Two functions never serve the
 * same path (the gateway routes each prefix to one), so a clash is a bug and throws.
 */
export function mergeDocuments(documents: readonly OpenApiDocument[]): OpenApiDocument {
  const merged: OpenApiDocument = {
    openapi: "3.1.0",
    info: { title: "Tavola", version: API_VERSION, description: DESCRIPTION },
    tags: [],
    paths: {},
    components: { schemas: {}, responses: {}, securitySchemes: {} },
  };
  for (const doc of documents) {
    for (const [path, item] of Object.entries(doc.paths)) {
      if (merged.paths[path]) throw new Error(`openapi: ${path} is served by two functions`);
      merged.paths[path] = item;
    }
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      const seen = merged.components.schemas[name];
      if (seen && JSON.stringify(seen) !== JSON.stringify(schema))
        throw new Error(`openapi: two functions define the schema ${name} differently`);
      merged.components.schemas[name] = schema;
    }
    Object.assign(merged.components.securitySchemes, doc.components.securitySchemes);
    Object.assign(merged.components.responses, doc.components.responses);
    merged.tags!.push(...(doc.tags ?? []));
  }
  merged.paths = Object.fromEntries(Object.entries(merged.paths).sort(([a], [b]) => a.localeCompare(b)));
  merged.components.schemas = Object.fromEntries(
    Object.entries(merged.components.schemas).sort(([a], [b]) => a.localeCompare(b)),
  );
  return merged;
}
