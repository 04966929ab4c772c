import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { z } from "zod";

// The Knative Eventing objects the local broker acts on, read from the same YAML files the cluster
// applies, and checked just enough that a typo fails loudly instead of silently routing nothing.

/** Where the eventing manifests live in this repository. */
export const EVENTING_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../knative/base/eventing");

const reference = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string().min(1),
  namespace: z.string().optional(),
});

const destination = z
  .object({ ref: reference.optional(), uri: z.string().optional(), audience: z.string().optional() })
  .refine((d) => d.ref || d.uri, "a destination needs a ref or a uri");
export type Destination = z.infer<typeof destination>;

const delivery = z.object({
  retry: z.number().int().min(0).optional(),
  backoffPolicy: z.enum(["linear", "exponential"]).optional(),
  backoffDelay: z.string().optional(),
  timeout: z.string().optional(),
  deadLetterSink: destination.optional(),
});
export type DeliverySpec = z.infer<typeof delivery>;

const metadata = z.object({ name: z.string().min(1), namespace: z.string().optional() });

const stringMap = z.record(z.string(), z.string());
/** The `filters` dialect (SQL filters are not supported locally; they fail at load). */
export type FilterExpression =
  | { exact: Record<string, string> }
  | { prefix: Record<string, string> }
  | { suffix: Record<string, string> }
  | { all: FilterExpression[] }
  | { any: FilterExpression[] }
  | { not: FilterExpression };
const filterExpression: z.ZodType<FilterExpression> = z.lazy(() =>
  z.union([
    z.strictObject({ exact: stringMap }),
    z.strictObject({ prefix: stringMap }),
    z.strictObject({ suffix: stringMap }),
    z.strictObject({ all: z.array(filterExpression) }),
    z.strictObject({ any: z.array(filterExpression) }),
    z.strictObject({ not: filterExpression }),
  ]),
);

const broker = z.object({
  apiVersion: z.literal("eventing.knative.dev/v1"),
  kind: z.literal("Broker"),
  metadata,
  spec: z.object({ delivery: delivery.optional() }).default({}),
});

const trigger = z.object({
  apiVersion: z.literal("eventing.knative.dev/v1"),
  kind: z.literal("Trigger"),
  metadata,
  spec: z.object({
    broker: z.string(),
    filter: z.object({ attributes: stringMap.optional() }).optional(),
    filters: z.array(filterExpression).optional(),
    subscriber: destination,
    delivery: delivery.optional(),
  }),
});

const pingSource = z.object({
  apiVersion: z.literal("sources.knative.dev/v1"),
  kind: z.literal("PingSource"),
  metadata,
  spec: z.object({
    schedule: z.string(),
    timezone: z.string().optional(),
    contentType: z.string().optional(),
    data: z.string().optional(),
    sink: destination,
  }),
});

export type BrokerObject = z.infer<typeof broker>;
export type TriggerObject = z.infer<typeof trigger>;
export type PingSourceObject = z.infer<typeof pingSource>;

export interface EventingManifests {
  broker: BrokerObject;
  /** The Triggers of that Broker. */
  triggers: TriggerObject[];
  pingSources: PingSourceObject[];
}

/**
 * Loads the Broker, its Triggers and the PingSources from the files a `kustomization.yaml` lists (the
 * directory's own, by default). Other kinds (SinkBinding) are the cluster's business and skipped.
 */
export async function loadEventingManifests(
  dir = EVENTING_DIR,
  brokerName = "default",
): Promise<EventingManifests> {
  const kustomization = z
    .object({ namespace: z.string().optional(), resources: z.array(z.string()) })
    .parse(await readYaml(join(dir, "kustomization.yaml")));
  const objects: { kind?: unknown; file: string; value: unknown }[] = [];
  for (const file of kustomization.resources) {
    for (const value of await readYamlDocuments(join(dir, file))) {
      objects.push({ kind: (value as { kind?: unknown }).kind, file, value });
    }
  }
  const parse = <T>(schema: z.ZodType<T>, o: { file: string; value: unknown }): T => {
    const result = schema.safeParse(o.value);
    if (result.success) return result.data;
    throw new Error(`${o.file}: ${z.prettifyError(result.error)}`);
  };
  const brokers = objects.filter((o) => o.kind === "Broker").map((o) => parse(broker, o));
  const found = brokers.find((b) => b.metadata.name === brokerName);
  if (!found) throw new Error(`${dir}: no Broker named "${brokerName}"`);
  return {
    broker: found,
    triggers: objects
      .filter((o) => o.kind === "Trigger")
      .map((o) => parse(trigger, o))
      .filter((t) => t.spec.broker === brokerName),
    pingSources: objects.filter((o) => o.kind === "PingSource").map((o) => parse(pingSource, o)),
  };
}

async function readYaml(file: string): Promise<unknown> {
  const [first] = await readYamlDocuments(file);
  return first;
}

async function readYamlDocuments(file: string): Promise<unknown[]> {
  const documents = parseAllDocuments(await readFile(file, "utf8"));
  const values: unknown[] = [];
  for (const doc of Array.isArray(documents) ? documents : [documents]) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    const value = doc.toJS();
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

/** An ISO 8601 duration as Knative writes them (`PT0.5S`, `PT1M`, `P1DT2H`) in milliseconds. */
export function parseDuration(text: string): number {
  const match =
    /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      text,
    );
  if (!match || text === "P" || text.endsWith("T")) throw new Error(`"${text}" is not an ISO 8601 duration`);
  const [, d = "0", h = "0", m = "0", s = "0"] = match;
  return Math.round(((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000 + Number(s) * 1000);
}
