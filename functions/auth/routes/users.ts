import { Hono } from "hono";
import { z } from "zod";
import { principalOf, requireAuth } from "../../../shared/auth/middleware.ts";
import { normalizeUsername } from "../../../shared/auth/username.ts";
import type { AppEnv } from "../../../shared/http/env.ts";
import { body } from "../../../shared/http/validation.ts";
import { describe } from "../../../shared/openapi/describe.ts";
import { profileSchema, userSchema } from "../api-shapes.ts";
import type { AuthDeps } from "../deps.ts";
import { registerUser } from "../register-user.ts";
import { describeUser } from "../user-view.ts";

// Django's username rule: letters, digits and @ . + - _ (no spaces or control characters), 150 at most.
const registration = z.object({
  username: z
    .string()
    .transform(normalizeUsername)
    .pipe(
      z
        .string()
        .trim()
        .min(1, "must not be empty")
        .max(150, "must be at most 150 characters")
        .regex(/^[\p{L}\p{N}_.@+-]+$/u, "may contain only letters, digits and @ . + - _"),
    ),
  password: z.string().min(8, "must be at least 8 characters").max(256, "must be at most 256 characters"),
  // Forms send an empty field for "no email".
  email: z
    .union([z.literal(""), z.email("must be a valid email address").max(254)])
    .nullish()
    .transform((v) => (v ? v : null)),
});

/** Registration and the caller's profile, under Tavola's paths and djoser's. */
export function userRoutes(deps: AuthDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // Only these three fields are read; is_admin, groups and the like are dropped by the schema.
  app.on(
    "POST",
    ["/api/users", "/auth/users"],
    describe({
      summary: "Register",
      description: "A username taken, a password under 8 characters or equal to the username: 400.",
      responses: { 201: userSchema },
    }),
    body(registration),
    async (c) => c.json(await registerUser(deps, c.get("body")), 201),
  );

  app.on(
    "GET",
    ["/api/users/me", "/api/users/users/me", "/auth/users/me"],
    describe({ summary: "Who am I", responses: { 200: profileSchema } }),
    requireAuth(deps.verify),
    async (c) => c.json(await describeUser(deps, principalOf(c).id), 200),
  );

  return app;
}
