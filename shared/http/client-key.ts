import { isIP } from "node:net";
import type { Context } from "hono";
import { readCredentials } from "../auth/middleware.ts";
import type { VerifyAccessToken } from "../auth/verifier.ts";
import type { AppEnv } from "./env.ts";

export interface ClientKeyOptions {
  /** Take the address from X-Forwarded-For: only behind a proxy that overwrites it (the gateway). */
  trustProxy: boolean;
  /** Verifies a bearer token; without it every client is keyed by its address. */
  verify?: VerifyAccessToken | undefined;
}

/**
 * Who a request comes from, for throttling: the subject of a token that verifies, else the client's
 * address. Nothing the client merely sends picks its key: a token that does not verify (junk, expired,
 * another issuer's) counts as its sender's address, and X-Forwarded-For is read only when TRUST_PROXY
 * says a proxy wrote it. A verified token is remembered on the context, so `requireAuth` does not check
 * the same signature twice.
 */
export async function clientKey(c: Context<AppEnv>, options: ClientKeyOptions): Promise<string> {
  if (options.verify) {
    const principal = await verifiedPrincipal(c, options.verify);
    if (principal) return `u:${principal.id}`;
  }
  return `ip:${clientAddress(c, options.trustProxy)}`;
}

async function verifiedPrincipal(c: Context<AppEnv>, verify: VerifyAccessToken) {
  let token: string | undefined;
  try {
    token = readCredentials(c.req.header("authorization"));
    if (!token) return undefined;
    const principal = await verify(token);
    c.set("verifiedToken", { token, verify, principal });
    return principal;
  } catch {
    return undefined; // the route itself answers 401 where a token is required
  }
}

/**
 * The client's address: the first X-Forwarded-For entry when a trusted proxy wrote it (the gateway
 * overwrites the header with the address it saw), else the socket's. IPv6 addresses count by their /64,
 * the block one subscriber gets, so a client cannot take a fresh key per address it owns.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded && isIP(forwarded)) return normalise(forwarded);
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const address = incoming?.socket?.remoteAddress;
  return address ? normalise(address) : "local";
}

function normalise(address: string): string {
  if (address.startsWith("::ffff:") && isIP(address.slice(7)) === 4) return address.slice(7);
  if (isIP(address) !== 6) return address;
  return `${expandIpv6(address).slice(0, 4).join(":")}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head = "", tail = ""] = address.split("%")[0]!.split("::");
  const left = head ? head.split(":") : [];
  const right = address.includes("::") ? (tail ? tail.split(":") : []) : [];
  const missing = 8 - left.length - right.length;
  return [...left, ...Array.from({ length: Math.max(0, missing) }, () => "0"), ...right].map((part) =>
    part.toLowerCase().replace(/^0+(?=.)/, ""),
  );
}
