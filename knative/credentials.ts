// `node knative/credentials.ts | kubectl apply -f -`: the credentials of a new installation, made from
// knative/base/credentials.template.yaml with every placeholder filled: random passwords and a fresh
// Ed25519 signing key pair. Prints Secrets: pipe it to kubectl, never into a file under version control.

import { generateKeyPairSync, randomBytes } from "node:crypto";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import type { K8sObject } from "./checks/render.ts";
import { parseObjects } from "./checks/render.ts";

export const PLACEHOLDER = "REPLACE_ME";

/** What fills the template's placeholders. */
export interface CredentialValues {
  superuserPassword: string;
  appPassword: string;
  adminPassword: string;
  privateKeyPem: string;
  publicKeyPem: string;
  keyId: string;
}

/** Fresh values: 32 random bytes per password (URL-safe, so they sit in a DATABASE_URL as they are). */
export function generateValues(now = new Date()): CredentialValues {
  const secret = () => randomBytes(32).toString("base64url");
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    superuserPassword: secret(),
    appPassword: secret(),
    adminPassword: secret(),
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    keyId: `tavola-${now.toISOString().slice(0, 10)}-${randomBytes(3).toString("hex")}`,
  };
}

/**
 * The template's objects with every placeholder filled. A placeholder this function does not know is an
 * error, so a key added to the template cannot go out unfilled.
 */
export function fillCredentials(
  template: readonly K8sObject[],
  v: CredentialValues,
  namespace: string,
): K8sObject[] {
  const fillers: Record<string, (text: string) => string> = {
    "postgres-credentials/superuser-password": () => v.superuserPassword,
    "postgres-credentials/app-password": () => v.appPassword,
    "tavola-db-app/password": () => v.appPassword,
    "tavola-db-superuser/password": () => v.superuserPassword,
    "pgbouncer-userlist/userlist.txt": (text) => text.replace(PLACEHOLDER, v.appPassword),
    "tavola-database/DATABASE_URL": (text) => text.replace(PLACEHOLDER, v.appPassword),
    "tavola-migrate/DATABASE_URL": (text) => text.replace(PLACEHOLDER, v.appPassword),
    "tavola-migrate/ADMIN_PASSWORD": () => v.adminPassword,
    "tavola-signing-key/JWT_PRIVATE_KEY": () => v.privateKeyPem,
    "tavola-signing-key/JWT_KEY_ID": () => v.keyId,
    "tavola-jwt-public-key/JWT_PUBLIC_KEY": () => v.publicKeyPem,
  };
  return template.map((object) => {
    const filled = structuredClone(object) as K8sObject;
    filled.metadata.namespace = namespace;
    for (const field of ["stringData", "data"] as const) {
      const data = filled[field] as Record<string, string> | undefined;
      for (const [key, value] of Object.entries(data ?? {})) {
        if (!value.includes(PLACEHOLDER)) continue;
        const fill = fillers[`${filled.metadata.name}/${key}`];
        if (!fill) throw new Error(`credentials: no value for ${filled.metadata.name} ${key}`);
        data![key] = fill(value);
      }
    }
    return filled;
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { readFile } = await import("node:fs/promises");
  const at = process.argv.indexOf("--namespace");
  const namespace = at > 0 ? (process.argv[at + 1] ?? "tavola") : "tavola";
  const path = join(dirname(fileURLToPath(import.meta.url)), "base", "credentials.template.yaml");
  const objects = fillCredentials(parseObjects(await readFile(path, "utf8")), generateValues(), namespace);
  process.stdout.write(objects.map((o) => `---\n${stringify(o)}`).join(""));
  process.stderr.write(
    `Credentials for namespace ${namespace} written to stdout. The admin's password, once applied:\n` +
      `  kubectl -n ${namespace} get secret tavola-migrate -o jsonpath='{.data.ADMIN_PASSWORD}' | base64 -d\n`,
  );
}
