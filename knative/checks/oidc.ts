import { eventsAudience } from "../../shared/events/identity/sender-identity.ts";
import { idOf, isKind, type K8sObject } from "./render.ts";

// What Knative's sender identity (authentication-oidc) needs from Tavola's manifests, so that every
// delivery carries a token a function accepts and only the functions may publish:
// - every Trigger's subscriber and dead-letter sink, and every PingSource's sink, names the audience the
//   function verifies (`eventsAudience`), since a Knative Service announces none of its own;
// - every function mounts a projected token for the Broker's audience and one for the API server, and
//   its config names the issuer and both token files;
// - an EventPolicy on the Broker admits exactly the service accounts of the functions that publish.

/** The audience Knative gives the Broker `default` in `namespace` (its status.address.audience). */
export function brokerAudience(namespace: string): string {
  return `eventing.knative.dev/broker/${namespace}/default`;
}

// biome-ignore lint/suspicious/noExplicitAny: manifests as YAML gives them
type Any = Record<string, any>;

/** The problems, one line each; empty when every delivery and every publish can authenticate. */
export function oidcProblems(objects: readonly K8sObject[], publishers: readonly string[]): string[] {
  const problems: string[] = [];
  const destination = (owner: string, what: string, d: Any | undefined) => {
    if (!d) return;
    if (d.ref?.kind !== "Service") return;
    const expected = eventsAudience(d.ref.name);
    if (d.audience !== expected)
      problems.push(`${owner}: ${what} must name audience "${expected}" (has ${JSON.stringify(d.audience)})`);
  };
  for (const t of objects.filter((o) => isKind(o, "eventing.knative.dev/Trigger"))) {
    destination(idOf(t), "subscriber", t.spec?.subscriber);
    destination(idOf(t), "deadLetterSink", t.spec?.delivery?.deadLetterSink);
  }
  for (const b of objects.filter((o) => isKind(o, "eventing.knative.dev/Broker")))
    destination(idOf(b), "deadLetterSink", b.spec?.delivery?.deadLetterSink);
  for (const p of objects.filter((o) => isKind(o, "sources.knative.dev/PingSource")))
    destination(idOf(p), "sink", p.spec?.sink);

  const configs = new Map(
    objects.filter((o) => o.kind === "ConfigMap").map((c) => [c.metadata.name, c.data ?? {}]),
  );
  const services = objects.filter((o) => isKind(o, "serving.knative.dev/Service"));
  const publisherAccounts = new Set<string>();
  for (const s of services) {
    const pod: Any = s.spec?.template?.spec ?? {};
    const namespace = s.metadata.namespace ?? "tavola";
    const container: Any = pod.containers?.[0] ?? {};
    const env: Any = {};
    for (const from of container.envFrom ?? [])
      Object.assign(env, configs.get(from.configMapRef?.name) ?? {});
    for (const e of container.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
    if (!env.EVENTS_OIDC_ISSUER)
      problems.push(`${idOf(s)}: no EVENTS_OIDC_ISSUER, so /events refuses every delivery`);
    const sources: Any[] = (pod.volumes ?? []).flatMap((v: Any) =>
      (v.projected?.sources ?? []).map((src: Any) => ({ ...src.serviceAccountToken, volume: v.name })),
    );
    const mountOf = (volume: string) =>
      (container.volumeMounts ?? []).find((m: Any) => m.name === volume)?.mountPath as string | undefined;
    const tokenPath = (audience: string | undefined) => {
      const src = sources.find((t) => t.path && t.audience === audience);
      const mount = src && mountOf(src.volume);
      return mount ? `${mount}/${src.path}` : undefined;
    };
    const brokerToken = tokenPath(brokerAudience(namespace));
    if (!brokerToken) problems.push(`${idOf(s)}: no projected token for the Broker's audience`);
    else if (env.K_SINK_TOKEN_FILE !== brokerToken)
      problems.push(`${idOf(s)}: K_SINK_TOKEN_FILE must be ${brokerToken}`);
    const apiToken = tokenPath(undefined);
    if (!apiToken) problems.push(`${idOf(s)}: no projected token for the API server (OIDC discovery)`);
    else if (env.EVENTS_OIDC_TOKEN_FILE !== apiToken)
      problems.push(`${idOf(s)}: EVENTS_OIDC_TOKEN_FILE must be ${apiToken}`);
    if (publishers.includes(s.metadata.name))
      publisherAccounts.add(`system:serviceaccount:${namespace}:${pod.serviceAccountName ?? "default"}`);
  }

  const policies = objects.filter(
    (o) =>
      isKind(o, "eventing.knative.dev/EventPolicy") &&
      (o.spec?.to ?? []).some((t: Any) => t.ref?.kind === "Broker" && t.ref?.name === "default"),
  );
  if (policies.length === 0) problems.push("no EventPolicy guards the Broker: any workload may publish");
  for (const p of policies) {
    const subs = new Set<string>((p.spec?.from ?? []).map((f: Any) => f.sub ?? `ref:${f.ref?.name}`));
    for (const sub of subs)
      if (!publisherAccounts.has(sub))
        problems.push(`${idOf(p)}: admits ${sub}, which is no publishing function`);
    for (const account of publisherAccounts)
      if (!subs.has(account)) problems.push(`${idOf(p)}: does not admit ${account}, a publishing function`);
  }
  return problems;
}
