import { idOf, isKind, type K8sObject } from "./render.ts";

/**
 * The namespace CloudNativePG runs in: the one namespace allowed to reach PostgreSQL (its instance
 * manager and replication), and only its operator's pods (components/ha-database).
 */
export const DATABASE_OPERATOR_NAMESPACE = "cnpg-system";

// biome-ignore lint/suspicious/noExplicitAny: a NetworkPolicy rule as YAML gives it
type Rule = Record<string, any>;

/** Who may connect to each tier, as the NetworkPolicies say: the open doors they must not leave. */
export function networkProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const policies = objects.filter((o) => isKind(o, "NetworkPolicy"));
  const selecting = (labels: Record<string, string>) =>
    policies.filter((p) => {
      const wanted: Record<string, string> = p.spec?.podSelector?.matchLabels ?? {};
      return (
        (p.spec?.policyTypes ?? []).includes("Ingress") &&
        Object.entries(wanted).every(([k, v]) => labels[k] === v)
      );
    });

  const denyAll = policies.some(
    (p) =>
      Object.keys(p.spec?.podSelector ?? {}).length === 0 &&
      (p.spec?.policyTypes ?? []).includes("Ingress") &&
      (p.spec?.ingress ?? []).length === 0,
  );
  if (!denyAll) problems.push("no default-deny ingress policy: every pod is open to every other pod");

  const operatorPeer = (peer: Rule) =>
    peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === DATABASE_OPERATOR_NAMESPACE &&
    Object.keys(peer.namespaceSelector).length === 1 &&
    Object.keys(peer.namespaceSelector.matchLabels).length === 1 &&
    Object.keys(peer.podSelector?.matchLabels ?? {}).length > 0;
  const tiers: { labels: Record<string, string>; what: string; allowNamespaces: boolean }[] = [
    { labels: { "app.kubernetes.io/component": "function" }, what: "function pods", allowNamespaces: true },
    { labels: { "app.kubernetes.io/name": "pgbouncer" }, what: "PgBouncer", allowNamespaces: false },
    { labels: { "app.kubernetes.io/name": "postgres" }, what: "PostgreSQL", allowNamespaces: false },
  ];
  for (const tier of tiers) {
    const rules: Rule[] = selecting(tier.labels).flatMap((p) => p.spec?.ingress ?? []);
    if (rules.length === 0) problems.push(`${tier.what}: no ingress policy lets anything in`);
    for (const rule of rules) {
      const from: Rule[] = rule.from ?? [];
      if (from.length === 0) problems.push(`${tier.what}: a rule admits every source`);
      for (const peer of from) {
        if (peer.ipBlock) problems.push(`${tier.what}: admits an ipBlock`);
        if (tier.what === "PostgreSQL" && operatorPeer(peer)) continue;
        if (peer.namespaceSelector && !tier.allowNamespaces)
          problems.push(`${tier.what}: admits whole namespaces`);
        if (peer.namespaceSelector && Object.keys(peer.namespaceSelector).length === 0)
          problems.push(`${tier.what}: admits every namespace`);
        if (tier.allowNamespaces && peer.podSelector && !peer.namespaceSelector)
          problems.push(`${tier.what}: admit Knative's data plane only, not pods of this namespace`);
      }
    }
  }
  for (const p of policies)
    if (!(p.spec?.policyTypes ?? []).length) problems.push(`${idOf(p)}: policyTypes must be explicit`);
  return problems;
}
