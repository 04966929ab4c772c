import { databaseNameProblems } from "./database-names.ts";
import { configSources, FUNCTION_NAMES, knativeServices, podSpecs } from "./pods.ts";
import { idOf, isKind, type K8sObject } from "./render.ts";

// Whether the objects fit together as one system: every function has its Service, every event route and
// sink points at something that exists, every reference to a ConfigMap, Secret, ServiceAccount or
// volume claim resolves, only auth can read the signing key, every container states its resources, and
// nothing gets more rights than it needs.

/** The Secret holding the token signing key: mounted by the auth function alone. */
export const SIGNING_KEY_SECRET = "tavola-signing-key";

// biome-ignore lint/suspicious/noExplicitAny: a Knative destination as YAML gives it
type Destination = { ref?: { apiVersion?: string; kind?: string; name?: string }; uri?: string } | any;

/**
 * Every problem with how the objects refer to each other. `outOfBand` are the objects created outside
 * Kustomize (the credentials template), which references may name too.
 */
export function topologyProblems(
  objects: readonly K8sObject[],
  outOfBand: readonly K8sObject[],
  functions: readonly string[] = FUNCTION_NAMES,
): string[] {
  const problems: string[] = [];
  const services = knativeServices(objects);
  const has = (kind: string, name: string) =>
    [...objects, ...outOfBand].some((o) => isKind(o, kind) && o.metadata.name === name);

  for (const fn of functions) {
    const svc = services.get(fn);
    if (!svc) problems.push(`function ${fn} has no Knative Service`);
    else if (svc.metadata.labels?.["networking.knative.dev/visibility"] !== "cluster-local")
      problems.push(`${idOf(svc)}: must be cluster-local (the gateway is the only public entry)`);
  }

  const destination = (where: string, dest: Destination, eventsPath: boolean) => {
    const ref = dest?.ref;
    if (!ref) return problems.push(`${where}: no ref`);
    const group = String(ref.apiVersion ?? "v1").split("/");
    const kind = group.length > 1 ? `${group[0]}/${ref.kind}` : String(ref.kind);
    if (!has(kind, ref.name)) problems.push(`${where}: ${ref.kind} "${ref.name}" does not exist`);
    if (eventsPath && ref.kind === "Service" && !String(dest.uri ?? "").startsWith("/events"))
      problems.push(`${where}: a function receives events on /events, not "${dest.uri ?? "/"}"`);
  };
  for (const o of objects) {
    if (isKind(o, "eventing.knative.dev/Trigger")) {
      if (!has("eventing.knative.dev/Broker", o.spec?.broker))
        problems.push(`${idOf(o)}: broker "${o.spec?.broker}" does not exist`);
      destination(`${idOf(o)} subscriber`, o.spec?.subscriber, true);
    }
    if (isKind(o, "sources.knative.dev/PingSource")) destination(`${idOf(o)} sink`, o.spec?.sink, true);
    if (isKind(o, "sources.knative.dev/SinkBinding")) {
      destination(`${idOf(o)} sink`, o.spec?.sink, false);
      const selector: Record<string, string> = o.spec?.subject?.selector?.matchLabels ?? {};
      for (const fn of functions) {
        const labels = services.get(fn)?.metadata.labels ?? {};
        if (!Object.entries(selector).every(([k, v]) => labels[k] === v))
          problems.push(`${idOf(o)}: does not bind function ${fn}, which would have no K_SINK`);
      }
    }
    const deadLetter = o.spec?.delivery?.deadLetterSink;
    if (deadLetter) destination(`${idOf(o)} deadLetterSink`, deadLetter, true);
  }
  if (!objects.some((o) => isKind(o, "sources.knative.dev/SinkBinding")))
    problems.push("no SinkBinding: the functions would have no K_SINK");

  for (const { owner, spec } of podSpecs(objects)) {
    for (const source of configSources(spec)) {
      if (!has(source.kind, source.name))
        problems.push(`${idOf(owner)}: reads ${source.kind} "${source.name}", which does not exist`);
      if (source.kind === "Secret" && source.name === SIGNING_KEY_SECRET && owner.metadata.name !== "auth")
        problems.push(`${idOf(owner)}: only the auth function may read the signing key`);
    }
    for (const v of spec.volumes ?? [])
      if (v.persistentVolumeClaim && !has("PersistentVolumeClaim", v.persistentVolumeClaim.claimName))
        problems.push(`${idOf(owner)}: volume claim "${v.persistentVolumeClaim.claimName}" does not exist`);
    for (const c of spec.containers ?? []) {
      const r = c.resources ?? {};
      if (!r.requests?.cpu || !r.requests?.memory || !r.limits?.memory)
        problems.push(`${idOf(owner)}: container ${c.name} needs cpu and memory requests and a memory limit`);
    }
    const account = spec.serviceAccountName;
    if (!account || account === "default")
      problems.push(`${idOf(owner)}: runs as the default ServiceAccount`);
    else if (!has("ServiceAccount", account))
      problems.push(`${idOf(owner)}: ServiceAccount "${account}" does not exist`);
  }
  const auth = services.get("auth");
  if (auth && !configSources(auth.spec.template.spec).some((s) => s.name === SIGNING_KEY_SECRET))
    problems.push("the auth function does not mount the signing key");

  for (const o of objects) {
    if (isKind(o, "ServiceAccount") && o.automountServiceAccountToken !== false)
      problems.push(`${idOf(o)}: must set automountServiceAccountToken: false`);
    if (["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"].includes(o.kind))
      problems.push(`${idOf(o)}: no workload needs the Kubernetes API`);
    if (o.kind !== "Namespace" && o.metadata.namespace !== "tavola")
      problems.push(`${idOf(o)}: outside the tavola namespace`);
  }
  // The database's names: the functions' and the migration's hosts, the operator's objects (staging, prod).
  problems.push(...databaseNameProblems(objects, outOfBand));
  return problems;
}
