import type { LocalIssuer } from "../../../shared/events/identity/local-issuer.ts";
import type { Fetch } from "./delivery.ts";

/**
 * A destination's fetch that presents a fresh sender token for the destination's audience, as Knative's
 * dispatcher and PingSource do with `authentication-oidc`. A destination without an audience (or a
 * broker without a signer) gets none, and a function refuses the delivery, as in the cluster.
 */
export function withSenderToken(
  fetch: Fetch,
  signer: Pick<LocalIssuer, "sign"> | undefined,
  audience: string | undefined,
  owner: string,
): Fetch {
  if (!signer || !audience) return fetch;
  return async (request, env) => {
    const signed = new Request(request, { headers: new Headers(request.headers) });
    signed.headers.set(
      "authorization",
      `Bearer ${await signer.sign(audience, `system:serviceaccount:${owner}`)}`,
    );
    return fetch(signed, env);
  };
}
