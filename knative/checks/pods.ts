import { FUNCTION_NAMES } from "../../shared/names.ts";
import { isKind, type K8sObject } from "./render.ts";

/** The five functions of docs/api.md, each a Knative Service of that name. */
export { FUNCTION_NAMES };

// biome-ignore lint/suspicious/noExplicitAny: a pod spec as YAML gives it
export type PodSpec = Record<string, any>;

/** A pod template found in an object: who owns it and its spec. */
export interface OwnedPodSpec {
  owner: K8sObject;
  spec: PodSpec;
}

/** Every pod template in the render: workloads, Jobs, CronJobs and Knative Services. */
export function podSpecs(objects: readonly K8sObject[]): OwnedPodSpec[] {
  const found: OwnedPodSpec[] = [];
  for (const owner of objects) {
    const spec = isKind(owner, "CronJob")
      ? owner.spec?.jobTemplate?.spec?.template?.spec
      : ["Deployment", "StatefulSet", "Job", "serving.knative.dev/Service"].some((k) => isKind(owner, k))
        ? owner.spec?.template?.spec
        : undefined;
    if (spec) found.push({ owner, spec });
  }
  return found;
}

/** The Knative Services of the render, by name. */
export function knativeServices(objects: readonly K8sObject[]): Map<string, K8sObject> {
  return new Map(
    objects.filter((o) => isKind(o, "serving.knative.dev/Service")).map((o) => [o.metadata.name, o]),
  );
}

/** The ConfigMaps and Secrets a pod spec reads, by kind and name (envFrom, env refs and volumes). */
export function configSources(spec: PodSpec): { kind: "ConfigMap" | "Secret"; name: string }[] {
  const sources: { kind: "ConfigMap" | "Secret"; name: string }[] = [];
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef) sources.push({ kind: "ConfigMap", name: from.configMapRef.name });
      if (from.secretRef) sources.push({ kind: "Secret", name: from.secretRef.name });
    }
    for (const env of c.env ?? []) {
      if (env.valueFrom?.configMapKeyRef)
        sources.push({ kind: "ConfigMap", name: env.valueFrom.configMapKeyRef.name });
      if (env.valueFrom?.secretKeyRef)
        sources.push({ kind: "Secret", name: env.valueFrom.secretKeyRef.name });
    }
  }
  for (const v of spec.volumes ?? []) {
    if (v.configMap) sources.push({ kind: "ConfigMap", name: v.configMap.name });
    if (v.secret) sources.push({ kind: "Secret", name: v.secret.secretName });
  }
  return sources;
}

/** The containers that run the Tavola image: those started with a FUNCTION. */
export function tavolaContainers(objects: readonly K8sObject[]) {
  return podSpecs(objects).flatMap(({ owner, spec }) =>
    // biome-ignore lint/suspicious/noExplicitAny: a container as YAML gives it
    (spec.containers ?? []).flatMap((container: Record<string, any>) => {
      // biome-ignore lint/suspicious/noExplicitAny: an env entry as YAML gives it
      const fn = (container.env ?? []).find((e: any) => e.name === "FUNCTION")?.value as string | undefined;
      return fn === undefined ? [] : [{ owner, spec, container, function: fn }];
    }),
  );
}
