import { createLocalIssuer } from "../events/identity/local-issuer.ts";
import {
  createSenderVerifier,
  eventsAudience,
  type VerifySender,
} from "../events/identity/sender-identity.ts";
import { FUNCTION_NAMES, type FunctionName } from "../names.ts";

// The tests' stand-in for the broker's sender identity: one issuer per test process, whose tokens
// `postEvent` presents and whose verifier `testContext` gives every function, so event tests go through
// the same verification as `npm start` and the cluster.

/** The issuer the test broker's tokens name. */
export const testSenderIssuer = await createLocalIssuer("https://tavola.test/oidc");

/** A sender verifier for one function, as the runtime builds it, trusting the test issuer. */
export function testSenderVerifier(name: FunctionName): VerifySender {
  return createSenderVerifier({
    keys: testSenderIssuer.keys,
    issuer: testSenderIssuer.issuer,
    audience: eventsAudience(name),
  });
}

/** An `Authorization` header value as the broker would send to `name` (to any function when unset). */
export async function testSenderAuthorization(name?: FunctionName): Promise<string> {
  const audiences = name ? [eventsAudience(name)] : FUNCTION_NAMES.map(eventsAudience);
  // One token for several audiences: each verifier finds its own in the list.
  return `Bearer ${await testSenderIssuer.sign(audiences, "system:serviceaccount:tavola:test-broker")}`;
}
