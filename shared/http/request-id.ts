import type { MiddlewareHandler } from "hono";
import type { Logger } from "../log.ts";
import type { AppEnv } from "./env.ts";
import { withResponseHeader } from "./node.ts";

const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes the caller's X-Request-Id when it is sane, makes one otherwise, echoes it on every response and
 * gives the handlers a logger that carries it.
 */
export function requestId(logger: Logger): MiddlewareHandler<AppEnv> {
  return async function requestIdMiddleware(c, next) {
    const given = c.req.header("x-request-id");
    const id = given && VALID.test(given) ? given : crypto.randomUUID();
    c.set("requestId", id);
    c.set("logger", logger.child({ requestId: id }));
    await withResponseHeader(c, "x-request-id", id, next);
  };
}
