import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "../errors.ts";
import type { AppEnv } from "../http/env.ts";
import { withDoc } from "../openapi/meta.ts";
import { hasRole, type Principal, type Role } from "./principal.ts";
import type { VerifyAccessToken } from "./verifier.ts";

/** Reads `Authorization: Bearer <token>` or djoser's `Token <token>`; undefined when absent. */
export function readCredentials(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^(Bearer|Token|JWT)\s+([A-Za-z0-9._~+/=-]{1,4096})\s*$/i.exec(header);
  if (!match) throw new AppError("unauthenticated", 'The Authorization header must be "Bearer <token>".');
  return match[2];
}

/** Middleware that demands a valid access token and puts the caller in `c.var.principal`. */
export function requireAuth(verify: VerifyAccessToken): MiddlewareHandler<AppEnv> {
  return withDoc(
    async function requireAuthMiddleware(c, next) {
      const token = readCredentials(c.req.header("authorization"));
      if (!token) throw new AppError("unauthenticated", "Authentication credentials were not provided.");
      const known = c.get("verifiedToken");
      c.set(
        "principal",
        known?.token === token && known.verify === verify ? known.principal : await verify(token),
      );
      await next();
    },
    { auth: true },
  );
}

/** Middleware that lets through only callers in one of the roles (after `requireAuth`). */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return withDoc(
    async function requireRoleMiddleware(c, next) {
      const principal = c.get("principal");
      if (!roles.some((role) => hasRole(principal, role))) {
        throw new AppError("forbidden", "You do not have permission to perform this action.");
      }
      await next();
    },
    { roles },
  );
}

/** The authenticated caller; throws if the route forgot `requireAuth`. */
export function principalOf<E extends AppEnv>(c: Context<E>): Principal {
  const principal = c.get("principal");
  if (!principal) throw new AppError("unauthenticated", "Authentication credentials were not provided.");
  return principal;
}
