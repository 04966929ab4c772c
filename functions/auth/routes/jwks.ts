import { Hono } from "hono";
import type { JWK } from "jose";
import type { AppEnv } from "../../../shared/http/env.ts";
import { describe } from "../../../shared/openapi/describe.ts";
import { jwksSchema } from "../api-shapes.ts";

/**
 * `/.well-known/jwks.json`: the public key that verifies access tokens, for anyone. Caches may keep it a
 * few minutes; a rotated key should be published here before it signs.
 */
export function jwksRoutes(jwks: { keys: JWK[] }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(
    "/.well-known/jwks.json",
    describe({
      summary: "Public keys",
      description: "The keys that verify access tokens.",
      responses: { 200: jwksSchema },
    }),
    (c) => c.json(jwks, 200, { "cache-control": "public, max-age=300" }),
  );
  return app;
}
