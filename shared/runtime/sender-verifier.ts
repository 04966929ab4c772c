import { readFile } from "node:fs/promises";
import type { BaseConfig } from "../config/schema.ts";
import { AppError } from "../errors.ts";
import type { FunctionName } from "../events/catalogue.ts";
import { issuerKeys } from "../events/identity/issuer-keys.ts";
import {
  createSenderVerifier,
  eventsAudience,
  type VerifySender,
} from "../events/identity/sender-identity.ts";
import type { FetchLike } from "../events/outbox/sender.ts";
import type { Logger } from "../log.ts";

/**
 * A function's check of who delivers its events: tokens of EVENTS_OIDC_ISSUER (discovered) for the
 * function's audience, from EVENTS_OIDC_SUBJECTS when set. Without an issuer nothing can be verified,
 * so every delivery is refused (fail closed) and the start-up log says why.
 */
export function senderVerifierFromConfig(
  config: Pick<BaseConfig, "EVENTS_OIDC_ISSUER" | "EVENTS_OIDC_SUBJECTS" | "EVENTS_OIDC_TOKEN_FILE">,
  name: FunctionName,
  logger: Logger,
): VerifySender {
  const issuer = config.EVENTS_OIDC_ISSUER;
  if (!issuer) {
    logger.warn("EVENTS_OIDC_ISSUER is unset: /events refuses every delivery");
    return async () => {
      throw new AppError("unauthenticated", "Events are accepted only from the broker.");
    };
  }
  return createSenderVerifier({
    keys: issuerKeys({ issuer, tokenFile: config.EVENTS_OIDC_TOKEN_FILE }),
    issuer,
    audience: eventsAudience(name),
    subjects: config.EVENTS_OIDC_SUBJECTS,
  });
}

/**
 * Wraps the publisher's fetch so every send to the broker carries the token in `tokenFile` (a projected
 * service-account token for the broker's audience, which the kubelet rotates: read on every send; the
 * file is small and in memory). The broker's EventPolicy admits only the functions' service accounts.
 */
export function withSinkToken(fetch: FetchLike, tokenFile: string): FetchLike {
  return async (url, init) => {
    const token = (await readFile(tokenFile, "utf8")).trim();
    const headers = { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` };
    return fetch(url, { ...init, headers });
  };
}
