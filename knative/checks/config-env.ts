import type { z } from "zod";
import { MIGRATE } from "../../functions/build.ts";
import { ConfigError, parseConfig } from "../../shared/config/parse.ts";
import { authConfigSchema, baseConfigSchema, seedConfigSchema } from "../../shared/config/schema.ts";
import { FUNCTION_NAMES, tavolaContainers } from "./pods.ts";
import { idOf, isKind, type K8sObject } from "./render.ts";

// The environment each Tavola container gets must be exactly what its program reads: every name a key of
// the zod schema that program parses (shared/config/schema.ts), the cluster's essentials present, and
// every literal value one the schema accepts. And all of them run the one image.

/** The variable the image's launcher reads to choose the program (functions/build.ts). */
export const LAUNCHER_ENV = "FUNCTION";

/** Which schema each program parses, and what it must be given in the cluster. */
export function programConfig(fn: string): { schema: z.ZodObject; required: string[] } {
  if (fn === MIGRATE) return { schema: seedConfigSchema, required: ["DATABASE_URL", "ADMIN_PASSWORD"] };
  if (fn === "auth")
    return { schema: authConfigSchema, required: ["DATABASE_URL", "JWT_PUBLIC_KEY", "JWT_PRIVATE_KEY"] };
  return { schema: baseConfigSchema, required: ["DATABASE_URL", "JWT_PUBLIC_KEY"] };
}

/** Read by Node itself, not by the program: its flags must be ones Node takes from the environment. */
const NODE_OPTIONS = "NODE_OPTIONS";

/** Why NODE_OPTIONS would be refused by Node at start, if it would. */
export function nodeOptionsProblem(value: string): string | undefined {
  for (const token of value.split(/\s+/).filter(Boolean)) {
    const flag = token.split("=")[0]!;
    if (!process.allowedNodeEnvironmentFlags.has(flag))
      return `NODE_OPTIONS has ${flag}, which Node does not take there`;
  }
  return undefined;
}

/** Names that the platform sets and a manifest must leave alone. */
const PLATFORM_SET: Record<string, string> = {
  K_SINK: "the SinkBinding sets it",
  PORT: "Knative sets it",
};

/**
 * The environment each container would see, by name: `env` values, and the data of every ConfigMap and
 * Secret it reads with envFrom (from the render or the out-of-band credentials template).
 */
export function containerEnv(
  // biome-ignore lint/suspicious/noExplicitAny: a container as YAML gives it
  container: Record<string, any>,
  sources: readonly K8sObject[],
): { values: Record<string, string>; problems: string[] } {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    const kind = from.configMapRef ? "ConfigMap" : "Secret";
    const source = sources.find((o) => isKind(o, kind) && o.metadata.name === ref?.name);
    if (!source) problems.push(`envFrom ${kind} "${ref?.name}" does not exist`);
    const data: Record<string, string> = { ...source?.data, ...source?.stringData };
    for (const [key, value] of Object.entries(data))
      values[key] =
        kind === "Secret" && source?.data?.[key] ? Buffer.from(value, "base64").toString() : value;
  }
  for (const env of container.env ?? [])
    values[env.name] = env.value ?? `<from ${Object.keys(env.valueFrom ?? {})[0]}>`;
  return { values, problems };
}

/** Every mismatch between the containers' environments and what the programs read. */
export function envProblems(objects: readonly K8sObject[], outOfBand: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const sources = [...objects, ...outOfBand];
  const containers = tavolaContainers(objects);
  const launched = new Set(containers.map((c) => c.function));
  for (const fn of [...FUNCTION_NAMES, MIGRATE])
    if (!launched.has(fn)) problems.push(`nothing runs ${LAUNCHER_ENV}=${fn}`);

  for (const { owner, container, function: fn } of containers) {
    const where = `${idOf(owner)}`;
    if (![...FUNCTION_NAMES, MIGRATE].includes(fn)) {
      problems.push(`${where}: ${LAUNCHER_ENV}=${fn} is not a program of the image`);
      continue;
    }
    if (isKind(owner, "serving.knative.dev/Service") && owner.metadata.name !== fn)
      problems.push(`${where}: runs ${LAUNCHER_ENV}=${fn}, not its own function`);
    const { schema, required } = programConfig(fn);
    const env = containerEnv(container, sources);
    problems.push(...env.problems.map((p) => `${where}: ${p}`));
    const known = new Set([...Object.keys(schema.shape), LAUNCHER_ENV, NODE_OPTIONS]);
    const nodeOptions = env.values[NODE_OPTIONS];
    const refused = nodeOptions === undefined ? undefined : nodeOptionsProblem(nodeOptions);
    if (refused) problems.push(`${where}: ${refused}`);
    for (const name of Object.keys(env.values)) {
      if (!known.has(name)) problems.push(`${where}: sets ${name}, which ${fn} does not read`);
      if (PLATFORM_SET[name]) problems.push(`${where}: sets ${name}; ${PLATFORM_SET[name]}`);
    }
    for (const name of required)
      if (!(name in env.values)) problems.push(`${where}: ${name} is not set (required in the cluster)`);
    const literal = Object.fromEntries(
      Object.entries(env.values).filter(([k, v]) => !v.startsWith("<from ") && k !== NODE_OPTIONS),
    );
    try {
      parseConfig(schema, literal);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems.map((p) => `${where}: ${p}`));
    }
  }
  return problems;
}

/** The image's reference must name a registry or repository and a version: no bare name, no :latest. */
export function imageProblem(image: string): string | undefined {
  const digest = image.includes("@sha256:");
  const tag = /:([\w][\w.-]{0,127})$/.exec(image)?.[1];
  if (!digest && !tag) return `${image} has no tag or digest`;
  if (tag === "latest") return `${image} uses :latest`;
  return undefined;
}

/** One image for every Tavola program, properly referenced; every other image pinned by tag. */
export function imageProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const tavola = new Set(tavolaContainers(objects).map((c) => c.container.image as string));
  if (tavola.size !== 1)
    problems.push(`the programs run ${tavola.size} images, not one: ${[...tavola].join(", ")}`);
  for (const image of tavola)
    if (!image.includes("/")) problems.push(`${image} names no registry or repository`);
  for (const o of objects) {
    const specs = [o.spec?.template?.spec, o.spec?.jobTemplate?.spec?.template?.spec].filter(Boolean);
    for (const spec of specs)
      for (const c of spec.containers ?? []) {
        const problem = imageProblem(String(c.image));
        if (problem) problems.push(`${idOf(o)}: ${problem}`);
      }
  }
  return problems;
}
