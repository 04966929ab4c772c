import { decodeJwt } from "jose";
import { readCredentials } from "../auth/middleware.ts";

/**
 * When the caller's access token expires, in epoch milliseconds; undefined if it names no expiry. Read
 * after `requireAuth` verified the token, so the claims are trusted and only decoded here; a stream
 * ends by then, so a session that is revoked (its refresh refused) stops receiving once its last
 * access token runs out, and a live client reconnects with a refreshed one.
 */
export function tokenExpiry(authorization: string | undefined): number | undefined {
  const token = readCredentials(authorization);
  if (!token) return undefined;
  const { exp } = decodeJwt(token);
  return typeof exp === "number" ? exp * 1000 : undefined;
}
