import { Hono } from "hono";
import { z } from "zod";
import { requireAuth, requireRole } from "../../../shared/auth/middleware.ts";
import { AppError } from "../../../shared/errors.ts";
import type { AppEnv } from "../../../shared/http/env.ts";
import { hasControlCharacters, id, parsePathId, text } from "../../../shared/http/fields.ts";
import { pageQuery, pageSchema, parsePage, toPage } from "../../../shared/http/pagination.ts";
import { body, query } from "../../../shared/http/validation.ts";
import { GROUP_NAMES, type GroupName } from "../../../shared/names.ts";
import { describe } from "../../../shared/openapi/describe.ts";
import { userSchema } from "../api-shapes.ts";
import type { AuthDeps } from "../deps.ts";
import { addToGroup, listGroup, removeFromGroup, type UserRef } from "../group-membership.ts";

const GROUP_NOTE = "`group` is manager or delivery-crew (Little Lemon's Manager and Delivery crew).";

const memberBody = z
  .object({
    user_id: id.optional(),
    username: text(150).optional(),
  })
  .refine((b) => b.user_id !== undefined || b.username !== undefined, {
    message: "give the user's username or user_id",
    path: ["username"],
  });

/** Membership of the manager and delivery-crew groups, for managers (and admins) only. */
export function groupRoutes(deps: AuthDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("/api/groups/*", requireAuth(deps.verify), requireRole("manager"));

  app.get(
    "/api/groups/:group/users",
    describe({
      summary: "List a group's members",
      description: GROUP_NOTE,
      responses: { 200: pageSchema(userSchema) },
    }),
    query(pageQuery, parsePage),
    async (c) => {
      const group = groupOf(c.req.param("group"));
      const page = c.get("query");
      const { count, slice } = await listGroup(deps, group, page);
      return c.json(toPage(c.req.url, page, count, slice), 200);
    },
  );

  app.post(
    "/api/groups/:group/users",
    describe({
      summary: "Add a group member",
      description: `${GROUP_NOTE} Already a member: 200; unknown user: 404.`,
      responses: { 200: userSchema, 201: userSchema },
      errors: [404],
    }),
    body(memberBody),
    async (c) => {
      const group = groupOf(c.req.param("group"));
      const input = c.get("body");
      const ref: UserRef =
        input.user_id !== undefined ? { userId: input.user_id } : { username: input.username! };
      const { created, member } = await addToGroup(deps, group, ref);
      return c.json(member, created ? 201 : 200);
    },
  );

  app.delete(
    "/api/groups/:group/users/:user",
    describe({
      summary: "Remove a group member",
      description: `${GROUP_NOTE} \`user\` is the numeric id (a username is accepted too).`,
      responses: { 200: userSchema },
    }),
    async (c) => {
      const group = groupOf(c.req.param("group"));
      const raw = c.req.param("user");
      // The numeric id, as the contract says; a username works too, as Little Lemon clients send one.
      const userId = parsePathId(raw);
      if (userId === undefined && (raw.length > 150 || hasControlCharacters(raw)))
        throw new AppError("not_found", "No user matches that id or username.");
      const ref: UserRef = userId !== undefined ? { userId } : { username: raw };
      return c.json(await removeFromGroup(deps, group, ref), 200);
    },
  );

  return app;
}

function groupOf(name: string): GroupName {
  const group = GROUP_NAMES.find((g) => g === name);
  if (!group) throw new AppError("not_found", "There is no such group; use manager or delivery-crew.");
  return group;
}
