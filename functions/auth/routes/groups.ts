import { Hono } from "hono";
import { z } from "zod";
import { requireAuth, requireRole } from "../../../shared/auth/middleware.ts";
import type { GroupName } from "../../../shared/db/types.ts";
import { AppError } from "../../../shared/errors.ts";
import { readBody } from "../../../shared/http/body.ts";
import type { AppEnv } from "../../../shared/http/env.ts";
import { hasControlCharacters, id, parsePathId, text } from "../../../shared/http/fields.ts";
import { parsePage, toPage } from "../../../shared/http/pagination.ts";
import { validate } from "../../../shared/http/validate.ts";
import type { AuthDeps } from "../deps.ts";
import { addToGroup, listGroup, removeFromGroup, type UserRef } from "../group-membership.ts";

const GROUPS: readonly GroupName[] = ["manager", "delivery-crew"];

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

  app.get("/api/groups/:group/users", async (c) => {
    const group = groupOf(c.req.param("group"));
    const page = parsePage(c.req.query());
    const { count, slice } = await listGroup(deps, group, page);
    return c.json(toPage(c.req.url, page, count, slice), 200);
  });

  app.post("/api/groups/:group/users", async (c) => {
    const group = groupOf(c.req.param("group"));
    const body = validate(memberBody, await readBody(c));
    const ref: UserRef = body.user_id !== undefined ? { userId: body.user_id } : { username: body.username! };
    const { created, member } = await addToGroup(deps, group, ref);
    return c.json(member, created ? 201 : 200);
  });

  app.delete("/api/groups/:group/users/:user", async (c) => {
    const group = groupOf(c.req.param("group"));
    const raw = c.req.param("user");
    // The numeric id, as the spec says; a username works too, as Little Lemon clients send one.
    const userId = parsePathId(raw);
    if (userId === undefined && (raw.length > 150 || hasControlCharacters(raw)))
      throw new AppError("not_found", "No user matches that id or username.");
    const ref: UserRef = userId !== undefined ? { userId } : { username: raw };
    return c.json(await removeFromGroup(deps, group, ref), 200);
  });

  return app;
}

function groupOf(name: string): GroupName {
  const group = GROUPS.find((g) => g === name);
  if (!group) throw new AppError("not_found", "There is no such group; use manager or delivery-crew.");
  return group;
}
