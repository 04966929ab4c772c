import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { isDatabaseUnavailable } from "../db/errors.ts";
import { AppError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { AppEnv } from "./env.ts";
import { HttpProblem } from "./http-problem.ts";
import { problem, problemResponse, statusForCode } from "./problem.ts";

/**
 * The one error handler: our errors keep their meaning, Hono's keep their status, a database that is
 * away is 503 with Retry-After, and anything else is logged with the request id and answered with a
 * generic 500 that carries that id and nothing internal.
 */
export function createErrorHandler(fallbackLogger: Logger) {
  return function onError(err: Error, c: Context<AppEnv>): Response {
    const requestId = c.get("requestId");
    const logger = c.get("logger") ?? fallbackLogger;
    if (err instanceof AppError) {
      const status = statusForCode(err.code);
      const headers: Record<string, string> = {};
      if (status === 401) headers["www-authenticate"] = 'Bearer realm="tavola"';
      if (err.retryAfter !== undefined) headers["retry-after"] = String(err.retryAfter);
      return problemResponse(
        problem(status, err.message, { ...err.extra, ...(err.errors ? { errors: err.errors } : {}) }),
        headers,
      );
    }
    if (err instanceof HttpProblem) {
      return problemResponse(problem(err.status, err.message, err.errors ? { errors: err.errors } : {}));
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      const detail =
        status === 413 ? "The request body is larger than 64 KiB." : err.message || "The request failed.";
      return problemResponse(problem(status, detail));
    }
    if (isDatabaseUnavailable(err)) {
      logger.warn("database unavailable", { requestId, error: err.message });
      return problemResponse(
        problem(503, "The service is temporarily unavailable; please retry shortly.", {
          request_id: requestId,
        }),
        { "retry-after": "5" },
      );
    }
    logger.error("unhandled error", { requestId, error: err.message, stack: err.stack });
    return problemResponse(
      problem(500, "Something went wrong on our side; the request id identifies it in our logs.", {
        request_id: requestId,
      }),
    );
  };
}
