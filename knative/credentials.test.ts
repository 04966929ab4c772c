import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { importPrivateKey, importPublicKey } from "../shared/auth/keys.ts";
import { signAccessToken } from "../shared/auth/sign.ts";
import { createVerifier } from "../shared/auth/verifier.ts";
import { parseConfig } from "../shared/config/parse.ts";
import { authConfigSchema, seedConfigSchema } from "../shared/config/schema.ts";
import { containerEnv } from "./checks/config-env.ts";
import { credentialsTemplate, findObject, KNATIVE_DIR, parseObjects } from "./checks/render.ts";
import { schemaProblems } from "./checks/schemas.ts";
import { fillCredentials, generateValues, PLACEHOLDER } from "./credentials.ts";

// The credentials generator fills every placeholder of the template, consistently: one application
// password everywhere it appears, and a key pair whose public half verifies what the private half signs.

const template = await credentialsTemplate();
const run = promisify(execFile);

describe("node knative/credentials.ts", () => {
  it("prints valid Secrets and the public-key ConfigMap, with no placeholder left", async () => {
    const { stdout, stderr } = await run(process.execPath, [
      join(KNATIVE_DIR, "credentials.ts"),
      "--namespace",
      "food",
    ]);
    const objects = parseObjects(stdout);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
      template.map((o) => `${o.kind}/${o.metadata.name}`),
    );
    expect(stdout).not.toContain(PLACEHOLDER);
    expect(objects.every((o) => o.metadata.namespace === "food")).toBe(true);
    expect(await schemaProblems(objects)).toEqual([]);
    expect(stderr).toContain("kubectl -n food get secret tavola-migrate");
  });

  it("uses one application password in PostgreSQL, PgBouncer and both database URLs", () => {
    const v = generateValues();
    const filled = fillCredentials(template, v, "tavola");
    const data = (name: string) => findObject(filled, "Secret", name).stringData as Record<string, string>;
    expect(data("postgres-credentials")["app-password"]).toBe(v.appPassword);
    expect(data("pgbouncer-userlist")["userlist.txt"]).toBe(`"tavola" "${v.appPassword}"`);
    const pooled = new URL(data("tavola-database").DATABASE_URL!);
    const direct = new URL(data("tavola-migrate").DATABASE_URL!);
    expect([pooled.password, direct.password]).toEqual([v.appPassword, v.appPassword]);
    expect([pooled.hostname, direct.hostname]).toEqual(["pgbouncer", "tavola-db-rw"]);
    expect(new Set([v.appPassword, v.superuserPassword, v.adminPassword]).size).toBe(3);
  });

  it("gives auth a signing key that the other functions' public key verifies, and configs that parse", async () => {
    const v = generateValues();
    const filled = fillCredentials(template, v, "tavola");
    const env = containerEnv(
      {
        envFrom: [
          { secretRef: { name: "tavola-signing-key" } },
          { configMapRef: { name: "tavola-jwt-public-key" } },
          { secretRef: { name: "tavola-database" } },
        ],
      },
      filled,
    ).values;
    const config = parseConfig(authConfigSchema, env);
    const token = await signAccessToken(
      { userId: 1, username: "admin", groups: [], isAdmin: true },
      {
        privateKey: await importPrivateKey(config.JWT_PRIVATE_KEY!),
        keyId: config.JWT_KEY_ID!,
        issuer: config.TOKEN_ISSUER,
        audience: config.TOKEN_AUDIENCE,
        ttlSeconds: 60,
      },
    );
    const verify = createVerifier({
      publicKey: await importPublicKey(config.JWT_PUBLIC_KEY!),
      issuer: config.TOKEN_ISSUER,
      audience: config.TOKEN_AUDIENCE,
    });
    await expect(verify(token)).resolves.toMatchObject({ id: 1, username: "admin", isAdmin: true });
    const migrate = containerEnv({ envFrom: [{ secretRef: { name: "tavola-migrate" } }] }, filled).values;
    expect(parseConfig(seedConfigSchema, migrate).ADMIN_PASSWORD).toBe(v.adminPassword);
  });

  it("refuses a template placeholder it does not know how to fill", () => {
    const extended = structuredClone(template);
    findObject(extended, "Secret", "tavola-database").stringData.SMTP_PASSWORD = PLACEHOLDER;
    expect(() => fillCredentials(extended, generateValues(), "tavola")).toThrow(
      "no value for tavola-database SMTP_PASSWORD",
    );
  });
});
