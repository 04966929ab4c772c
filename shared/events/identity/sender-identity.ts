import type { MiddlewareHandler } from "hono";
import { type CryptoKey, type JWTVerifyGetKey, jwtVerify } from "jose";
import { AppError } from "../../errors.ts";
import type { AppEnv } from "../../http/env.ts";
import { type EventType, type FunctionName, producers, sourceOf } from "../catalogue.ts";

// Only the broker delivers events. Knative Eventing's sender identity (the `authentication-oidc`
// feature) has the broker's dispatcher and every PingSource present an OIDC token that the cluster
// issued for the subscriber's audience; each function's /events and /events/dead-letter accept nothing
// else. Locally the broker signs its deliveries the same way (local-issuer.ts), and the same code below
// verifies them.

/** Who delivered an event: the token's subject (a service account in the cluster). */
export interface Sender {
  subject: string;
}

/** Checks an `Authorization` header; throws `unauthenticated` unless it carries a valid sender token. */
export type VerifySender = (authorization: string | undefined) => Promise<Sender>;

export interface SenderVerifierOptions {
  /** The issuer's keys: its JWKS (discovered, see issuer-keys.ts) or, locally, the broker's public key. */
  keys: JWTVerifyGetKey | CryptoKey;
  issuer: string;
  /** This function's audience (`eventsAudience`), as its Triggers and PingSource name it. */
  audience: string;
  /**
   * The subjects that may deliver (`*` at the end matches any rest); unset: any subject the issuer
   * vouches for with this audience.
   */
  subjects?: readonly string[] | undefined;
  now?: () => Date;
}

/** Signature algorithms a cluster's service-account issuer uses (RS256 by default) and the local broker's. */
const ALGORITHMS = ["RS256", "ES256", "PS256", "EdDSA"];

/** The audience a function's event deliveries are issued for (the Triggers' `subscriber.audience`). */
export function eventsAudience(name: FunctionName): string {
  return `tavola-${name}-events`;
}

/** Builds the check of a delivery's sender token: signature, issuer, audience, expiry, subject. */
export function createSenderVerifier(options: SenderVerifierOptions): VerifySender {
  const subjects = options.subjects ?? [];
  return async function verifySender(authorization) {
    const token = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,8192})\s*$/i.exec(authorization ?? "")?.[1];
    if (!token) throw new AppError("unauthenticated", "Events are accepted only from the broker.");
    try {
      const { payload } = await jwtVerify(token, options.keys as JWTVerifyGetKey, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ["sub", "exp"],
        clockTolerance: 5,
        ...(options.now ? { currentDate: options.now() } : {}),
      });
      const subject = payload.sub ?? "";
      if (subjects.length > 0 && !subjects.some((allowed) => subjectMatches(allowed, subject)))
        throw new Error("subject not allowed");
      return { subject };
    } catch {
      throw new AppError("unauthenticated", "Events are accepted only from the broker.");
    }
  };
}

function subjectMatches(allowed: string, subject: string): boolean {
  return allowed.endsWith("*") ? subject.startsWith(allowed.slice(0, -1)) : subject === allowed;
}

const EVENTS_PATH = /^\/events(\/|$)/;

/**
 * Middleware that refuses, with 401, every request to `/events` and `/events/…` whose sender token does
 * not verify; mounted before the event routes, so nothing of a refused request is read or stored.
 */
export function requireSender(verify: VerifySender): MiddlewareHandler<AppEnv> {
  return async function requireSenderMiddleware(c, next) {
    if (!EVENTS_PATH.test(c.req.path)) return next();
    await verify(c.req.header("authorization"));
    return next();
  };
}

/**
 * Refuses an event whose `source` is not the producer the catalogue names for its type: a sender the
 * broker accepted (any function's service account) still cannot speak for another function.
 */
export function assertProducer(type: EventType, source: string): void {
  if (source !== sourceOf(producers[type]))
    throw new AppError(
      "bad_request",
      `A ${type} event comes only from ${sourceOf(producers[type])}, not from "${source.slice(0, 100)}".`,
    );
}
