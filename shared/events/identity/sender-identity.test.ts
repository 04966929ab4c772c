import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../errors.ts";
import { senderVerifierFromConfig } from "../../runtime/sender-verifier.ts";
import { quietLogger } from "../../testing/event-fixtures.ts";
import { issuerKeys } from "./issuer-keys.ts";
import { createLocalIssuer, type LocalIssuer } from "./local-issuer.ts";
import { createSenderVerifier, eventsAudience } from "./sender-identity.ts";

// The verification a function runs in the cluster, end to end over HTTP: the issuer's discovery
// document, its JWKS, then the token. The local broker's issuer stands in for the API server.

let server: ReturnType<typeof createServer>;
let issuer: LocalIssuer;
let requests: { path: string; authorization: string | undefined }[] = [];
let dir: string;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    requests.push({ path: req.url ?? "", authorization: req.headers.authorization });
    const answer = issuer.serve(new Request(`http://127.0.0.1${req.url}`));
    res.writeHead(answer?.status ?? 404, { "content-type": "application/json" });
    res.end(answer ? await answer.text() : "{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  issuer = await createLocalIssuer(`http://127.0.0.1:${port}/oidc`);
  dir = await mkdtemp(join(tmpdir(), "tavola-oidc-"));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const refused = (promise: Promise<unknown>) =>
  promise.then(
    () => "accepted",
    (e: unknown) => (e instanceof AppError ? `${e.code}: ${e.message}` : String(e)),
  );

describe("sender verification through the issuer's discovery document", () => {
  it("discovers the keys, with the pod's token, and accepts the broker's token for this audience only", async () => {
    const tokenFile = join(dir, "api-token");
    await writeFile(tokenFile, "pod-token\n");
    requests = [];
    const verify = senderVerifierFromConfig(
      { EVENTS_OIDC_ISSUER: issuer.issuer, EVENTS_OIDC_SUBJECTS: [], EVENTS_OIDC_TOKEN_FILE: tokenFile },
      "order",
      quietLogger,
    );
    const good = await issuer.sign(eventsAudience("order"), "system:serviceaccount:tavola:trigger");
    expect(await verify(`Bearer ${good}`)).toEqual({ subject: "system:serviceaccount:tavola:trigger" });
    expect(requests.map((r) => r.path)).toEqual([
      "/oidc/.well-known/openid-configuration",
      "/oidc/openid/v1/jwks",
    ]);
    expect(requests.every((r) => r.authorization === "Bearer pod-token")).toBe(true);

    const forCart = await issuer.sign(eventsAudience("cart"), "system:serviceaccount:tavola:trigger");
    expect(await refused(verify(`Bearer ${forCart}`))).toBe(
      "unauthenticated: Events are accepted only from the broker.",
    );
    const impostor = await createLocalIssuer(issuer.issuer); // same name, another key
    const forged = await impostor.sign(eventsAudience("order"), "system:serviceaccount:tavola:trigger");
    expect(await refused(verify(`Bearer ${forged}`))).toMatch(/^unauthenticated/);
    expect(await refused(verify(undefined))).toMatch(/^unauthenticated/);
  });

  it("refuses a discovery document that names another issuer", async () => {
    const keys = issuerKeys({
      issuer: `${issuer.issuer}-elsewhere`,
      fetch: async () => Response.json({ issuer: issuer.issuer, jwks_uri: "http://127.0.0.1:1/jwks" }),
    });
    const verify = createSenderVerifier({ keys, issuer: `${issuer.issuer}-elsewhere`, audience: "a" });
    expect(await refused(verify("Bearer a.b.c"))).toMatch(/^unauthenticated/);
  });

  it("accepts only the listed subjects when EVENTS_OIDC_SUBJECTS is set", async () => {
    const verify = createSenderVerifier({
      keys: issuer.keys,
      issuer: issuer.issuer,
      audience: eventsAudience("delivery"),
      subjects: ["system:serviceaccount:knative-eventing:*", "system:serviceaccount:tavola:ping"],
    });
    const from = async (sub: string) =>
      refused(verify(`Bearer ${await issuer.sign(eventsAudience("delivery"), sub)}`));
    expect(await from("system:serviceaccount:knative-eventing:mt-broker-filter")).toBe("accepted");
    expect(await from("system:serviceaccount:tavola:ping")).toBe("accepted");
    expect(await from("system:serviceaccount:tavola:ping2")).toMatch(/^unauthenticated/);
    expect(await from("system:serviceaccount:tavola:tavola-gateway")).toMatch(/^unauthenticated/);
  });

  it("refuses every delivery when no issuer is configured", async () => {
    const verify = senderVerifierFromConfig({ EVENTS_OIDC_SUBJECTS: [] }, "menu", quietLogger);
    const token = await issuer.sign(eventsAudience("menu"), "anyone");
    expect(await refused(verify(`Bearer ${token}`))).toMatch(/^unauthenticated/);
  });
});
