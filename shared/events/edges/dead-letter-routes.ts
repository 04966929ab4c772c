import type { Hono } from "hono";
import { z } from "zod";
import { requireAuth, requireRole } from "../../auth/middleware.ts";
import type { VerifyAccessToken } from "../../auth/verifier.ts";
import { AppError } from "../../errors.ts";
import type { AppEnv } from "../../http/env.ts";
import { boolean, parsePathId } from "../../http/fields.ts";
import { pageSchema, parsePage, toPage } from "../../http/pagination.ts";
import { validate } from "../../http/validate.ts";
import { describe } from "../../openapi/describe.ts";
import { replayDeadLetter, toDeadLetterView } from "../dead-letters/replay.ts";
import { deadLetterSchema, replayResultSchema } from "../dead-letters/schemas.ts";
import { findDeadLetter, listDeadLetters } from "../dead-letters/store.ts";
import type { ConsumerDeps } from "../receive/apply.ts";

/**
 * The public path prefix of a function's dead-letter routes. Each function keeps the dead letters of its
 * own Triggers (it alone may write them), so each serves its own prefix and the gateway routes every
 * prefix to exactly one function.
 */
export function deadLetterPrefix(functionName: string): string {
  return `/api/dead-letters/${functionName}`;
}

const listQuery = z.object({ replayed: boolean.optional() });

/**
 * Managers' routes over a function's dead letters: `GET <prefix>` (paginated, newest first,
 * `?replayed=false` for those still to handle), `GET <prefix>/{id}`, and `POST <prefix>/{id}/replay`,
 * which applies the stored event through the function's own receiver logic (dedupe included).
 */
export function mountDeadLetterRoutes(app: Hono<AppEnv>, consumer: ConsumerDeps, verify: VerifyAccessToken) {
  const prefix = deadLetterPrefix(consumer.consumer);
  app.use(prefix, requireAuth(verify), requireRole("manager"));
  app.use(`${prefix}/*`, requireAuth(verify), requireRole("manager"));

  const tags = ["dead letters"];
  const list = describe({
    summary: `List ${consumer.consumer}'s dead letters`,
    tags,
    responses: { 200: pageSchema(deadLetterSchema) },
  });
  const one = describe({
    summary: `Get one of ${consumer.consumer}'s dead letters`,
    tags,
    responses: { 200: deadLetterSchema },
  });
  const replay = describe({
    summary: `Replay one of ${consumer.consumer}'s dead letters`,
    tags,
    responses: { 200: replayResultSchema },
    errors: [400],
  });

  app.get(prefix, list, async (c) => {
    const page = parsePage(c.req.query());
    const { replayed } = validate(listQuery, { replayed: c.req.query("replayed") });
    const { count, slice } = await listDeadLetters(consumer.db, consumer.consumer, { replayed }, page);
    return c.json(toPage(c.req.url, page, count, { ...slice, results: slice.results.map(toDeadLetterView) }));
  });

  app.get(`${prefix}/:id`, one, async (c) => {
    const id = pathId(c.req.param("id"));
    const row = await findDeadLetter(consumer.db, consumer.consumer, id);
    if (!row) throw notFound(id);
    return c.json(toDeadLetterView(row));
  });

  app.post(`${prefix}/:id/replay`, replay, async (c) => {
    const id = pathId(c.req.param("id"));
    const result = await replayDeadLetter(consumer, { id, pending: c.get("pendingEventIds") });
    return c.json(result);
  });
}

function pathId(raw: string | undefined): number {
  const id = parsePathId(raw);
  if (id === undefined) throw notFound(raw ?? "");
  return id;
}

function notFound(id: number | string): AppError {
  return new AppError("not_found", `There is no dead letter ${String(id).slice(0, 20)} here.`);
}
