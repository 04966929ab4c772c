import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importSPKI, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../shared/config/parse.ts";
import { baseConfigSchema } from "../../shared/config/schema.ts";
import { holdingPublisher } from "../../shared/events/outbox/publisher.ts";
import { createLogger } from "../../shared/log.ts";
import { assembleFunction } from "../../shared/runtime/assemble.ts";
import type { FunctionContext } from "../../shared/runtime/function.ts";
import { createTestKeys } from "../../shared/testing/keys.ts";
import { call } from "../../shared/testing/request.ts";
import { testSenderVerifier } from "../../shared/testing/sender.ts";
import { useTestDb } from "../../shared/testing/test-db.ts";
import { FUNCTIONS, gatewayRoutes } from "../registry.ts";
import { authFunction } from "./definition.ts";
import { registered } from "./test-support.ts";

const t = useTestDb();
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "tavola-auth-"));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function context(env: Record<string, string>): Promise<FunctionContext> {
  const full = { LOG_LEVEL: "silent", DATA_DIR: dataDir, THROTTLE_LIMIT: "0", ...env };
  return {
    env: full,
    config: parseConfig(baseConfigSchema, full),
    db: t.db,
    logger: createLogger("silent"),
    verify: (await createTestKeys()).verify,
    verifySender: testSenderVerifier("auth"),
    publisher: holdingPublisher,
  };
}

describe("authFunction", () => {
  it("is in the registry, and the gateway sends it every auth path", () => {
    expect(FUNCTIONS).toContain(authFunction);
    const prefixes = gatewayRoutes([authFunction]).map((r) => r.prefix);
    for (const path of ["/api/users/me", "/api/token/refresh", "/token/login", "/auth/users/me"])
      expect(prefixes.some((p) => path.startsWith(`${p}/`))).toBe(true);
    expect(prefixes).toEqual(expect.arrayContaining(["/api/groups", "/.well-known"]));
  });

  it("signs with JWT_PRIVATE_KEY and JWT_KEY_ID from the environment", async () => {
    const { privateKey, publicKey } = await generateKeyPair("EdDSA", { extractable: true });
    const env = {
      JWT_PRIVATE_KEY: await exportPKCS8(privateKey),
      JWT_KEY_ID: "prod-2026-11",
      JWT_PUBLIC_KEY: await exportSPKI(publicKey),
    };
    const app = await assembleFunction(authFunction, await context(env));
    const jwks = await call(app, "GET", "/.well-known/jwks.json");
    expect(jwks.body.keys).toEqual([
      { ...(await exportJWK(publicKey)), kid: "prod-2026-11", alg: "EdDSA", use: "sig" },
    ]);
    const user = await registered(app);
    const login = await call(app, "POST", "/api/token", { json: user });
    const { payload, protectedHeader } = await jwtVerify(
      login.body.access,
      await importSPKI(env.JWT_PUBLIC_KEY, "EdDSA"),
      { issuer: "tavola-auth", audience: "tavola" },
    );
    expect(payload.sub).toBe(String(user.id));
    expect(protectedHeader.kid).toBe("prod-2026-11");
    expect((await call(app, "GET", "/api/users/me", { token: login.body.access })).status).toBe(200);
  });

  it("names a configured key by its thumbprint when JWT_KEY_ID is unset", async () => {
    const { privateKey } = await generateKeyPair("EdDSA", { extractable: true });
    const app = await assembleFunction(
      authFunction,
      await context({ JWT_PRIVATE_KEY: await exportPKCS8(privateKey) }),
    );
    const jwks = await call(app, "GET", "/.well-known/jwks.json");
    expect(jwks.body.keys[0].kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("generates a key pair once under DATA_DIR when no key is configured, and keeps it", async () => {
    const first = await assembleFunction(authFunction, await context({}));
    const second = await assembleFunction(authFunction, await context({}));
    const a = await call(first, "GET", "/.well-known/jwks.json");
    const b = await call(second, "GET", "/.well-known/jwks.json");
    expect(a.body).toEqual(b.body);
    const stored = JSON.parse(await readFile(join(dataDir, "keys", "signing.jwk"), "utf8"));
    expect(stored.kid).toBe(a.body.keys[0].kid);
    expect(stored.x).toBe(a.body.keys[0].x);
  });

  it("refuses to start when JWT_PUBLIC_KEY is not the private key's public half", async () => {
    const signing = await generateKeyPair("EdDSA", { extractable: true });
    const other = await generateKeyPair("EdDSA", { extractable: true });
    const env = {
      JWT_PRIVATE_KEY: await exportPKCS8(signing.privateKey),
      JWT_PUBLIC_KEY: await exportSPKI(other.publicKey),
    };
    await expect(assembleFunction(authFunction, await context(env))).rejects.toThrow(/JWT_PUBLIC_KEY/);
  });

  it("fails fast listing every bad auth variable", async () => {
    const env = { LOGIN_MAX_FAILURES: "many", ACCESS_TOKEN_TTL_SECONDS: "5", JWT_KEY_ID: "../x" };
    const failure = await assembleFunction(authFunction, await context(env)).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConfigError);
    const problems = (failure as ConfigError).problems.join("\n");
    for (const name of Object.keys(env)) expect(problems).toContain(name);
  });
});
