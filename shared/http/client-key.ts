import { createHash } from "node:crypto";
import type { Context } from "hono";

/**
 * Who a request comes from, for throttling: the bearer of a token (hashed, so no token is kept in memory
 * as is), else the first X-Forwarded-For address when behind a trusted proxy, else the socket address.
 */
export function clientKey(c: Context, trustProxy: boolean): string {
  const auth = c.req.header("authorization");
  if (auth) return `t:${createHash("sha256").update(auth).digest("base64url").slice(0, 22)}`;
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return `ip:${forwarded}`;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return `ip:${incoming?.socket?.remoteAddress ?? "local"}`;
}
