import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";

const run = promisify(execFile);

/** The knative/ directory. */
export const KNATIVE_DIR = resolve(import.meta.dirname, "..");
export const OVERLAYS = ["dev", "staging", "prod"] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** A rendered Kubernetes object, as loosely typed as YAML gives it; each check parses what it reads. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are untyped until a check parses them
  [field: string]: any;
}

/** `kubectl kustomize <dir>` parsed into objects; throws with kubectl's message when it fails. */
export async function kustomize(dir: string): Promise<K8sObject[]> {
  const { stdout } = await run("kubectl", ["kustomize", dir], { maxBuffer: 32 * 1024 * 1024 });
  return parseObjects(stdout);
}

/** Every object of a multi-document YAML text, empty documents dropped. */
export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

/** The objects of the credentials template (never rendered by Kustomize; created out of band). */
export async function credentialsTemplate(): Promise<K8sObject[]> {
  return parseObjects(await readFile(join(KNATIVE_DIR, "base", "credentials.template.yaml"), "utf8"));
}

/** True while knative/base/eventing holds only the placeholder that the events work replaces. */
export async function eventingIsPlaceholder(): Promise<boolean> {
  const text = await readFile(join(KNATIVE_DIR, "base", "eventing", "kustomization.yaml"), "utf8");
  return text.trim() === "resources: []";
}

/**
 * Renders an overlay for the checks. While knative/base/eventing is still the placeholder, a copy of
 * knative/ with the test fixture (checks/fixture-eventing) in its place is rendered instead, so the
 * checks always see a Broker, Triggers and PingSources patched by the overlay.
 */
export async function renderOverlay(overlay: Overlay): Promise<K8sObject[]> {
  if (!(await eventingIsPlaceholder())) return kustomize(join(KNATIVE_DIR, "overlays", overlay));
  const copy = await mkdtemp(join(tmpdir(), "tavola-knative-"));
  try {
    await cp(join(KNATIVE_DIR, "base"), join(copy, "base"), { recursive: true });
    await cp(join(KNATIVE_DIR, "overlays"), join(copy, "overlays"), { recursive: true });
    await rm(join(copy, "base", "eventing"), { recursive: true });
    await cp(join(KNATIVE_DIR, "checks", "fixture-eventing"), join(copy, "base", "eventing"), {
      recursive: true,
    });
    return await kustomize(join(copy, "overlays", overlay));
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

/** Every overlay rendered, by name. */
export async function renderAll(): Promise<Record<Overlay, K8sObject[]>> {
  const rendered = await Promise.all(OVERLAYS.map(renderOverlay));
  return Object.fromEntries(OVERLAYS.map((o, i) => [o, rendered[i]!])) as Record<Overlay, K8sObject[]>;
}

/** A readable name for an object in a problem report: `Kind/name`. */
export function idOf(o: K8sObject): string {
  return `${o.kind}/${o.metadata?.name ?? "?"}`;
}

/** A deep copy to mutate in a test without touching the rendered objects other tests read. */
export function cloneObjects(objects: readonly K8sObject[]): K8sObject[] {
  return structuredClone(objects) as K8sObject[];
}

/**
 * The first object of a kind (and name), for tests that mutate one; throws when there is none. `kind` as
 * in `isKind`.
 */
export function findObject(objects: readonly K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.find((o) => isKind(o, kind) && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? `/${name}` : ""} in the render`);
  return found;
}

/**
 * Whether `o` is of `kind`: a Kubernetes kind ("Service", "Deployment": any group but Knative's) or a
 * group and kind ("serving.knative.dev/Service").
 */
export function isKind(o: K8sObject, kind: string): boolean {
  const slash = kind.lastIndexOf("/");
  if (slash < 0) return o.kind === kind && !o.apiVersion.includes("knative.dev/");
  return o.kind === kind.slice(slash + 1) && o.apiVersion.startsWith(`${kind.slice(0, slash)}/`);
}
