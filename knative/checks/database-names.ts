import { isKind, type K8sObject } from "./render.ts";

// The names by which Tavola reaches its database, and the objects of the database operator that name each
// other: a part of the topology check (topology.ts), for either shape of the database tier.

/** The Secret keys holding the functions' and the migration's connection strings (credentials template). */
export const DATABASE_URLS = { functions: "tavola-database", migrate: "tavola-migrate" } as const;

const cnpg = (o: K8sObject, kind: string) =>
  isKind(o, kind) && o.apiVersion.startsWith("postgresql.cnpg.io/");

/**
 * The Services a client can reach in the render: plain Services, and those CloudNativePG creates for a
 * Cluster (`<name>-rw`, `-ro`, `-r`) and a Pooler (its own name).
 */
export function reachableServices(objects: readonly K8sObject[]): Map<string, string> {
  const services = new Map<string, string>();
  for (const o of objects) {
    if (isKind(o, "Service")) services.set(o.metadata.name, "Service");
    if (cnpg(o, "Cluster"))
      for (const suffix of ["rw", "ro", "r"])
        services.set(`${o.metadata.name}-${suffix}`, `Cluster-${suffix}`);
    if (cnpg(o, "Pooler")) services.set(o.metadata.name, `Pooler-${o.spec?.type ?? "rw"}`);
  }
  return services;
}

function hostOf(outOfBand: readonly K8sObject[], secret: string): string | undefined {
  const url = outOfBand.find((o) => o.kind === "Secret" && o.metadata.name === secret)?.stringData
    ?.DATABASE_URL;
  if (typeof url !== "string") return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** Every database name that does not resolve, and every operator object naming one that does not exist. */
export function databaseNameProblems(
  objects: readonly K8sObject[],
  outOfBand: readonly K8sObject[],
): string[] {
  const problems: string[] = [];
  const services = reachableServices(objects);
  const has = (kind: string, name: unknown) =>
    objects.some((o) => o.kind === kind && o.metadata.name === name);
  const hasOutOfBand = (name: unknown) =>
    outOfBand.some((o) => o.kind === "Secret" && o.metadata.name === name);

  const functionsHost = hostOf(outOfBand, DATABASE_URLS.functions);
  const migrateHost = hostOf(outOfBand, DATABASE_URLS.migrate);
  const functionsService = functionsHost === undefined ? undefined : services.get(functionsHost);
  if (functionsService === undefined)
    problems.push(
      `the functions' DATABASE_URL names "${functionsHost}", which no Service or Pooler provides`,
    );
  else if (functionsService.startsWith("Cluster-"))
    problems.push(`the functions' DATABASE_URL names "${functionsHost}": they must go through the pooler`);
  const migrateService = migrateHost === undefined ? undefined : services.get(migrateHost);
  if (migrateService === undefined || migrateService.startsWith("Pooler"))
    problems.push(
      `the migration's DATABASE_URL names "${migrateHost}", which is no read-write PostgreSQL Service`,
    );
  else if (migrateService.startsWith("Cluster-") && migrateService !== "Cluster-rw")
    problems.push(`the migration's DATABASE_URL names "${migrateHost}", a read-only Service`);

  for (const o of objects) {
    if (cnpg(o, "Pooler") || cnpg(o, "ScheduledBackup"))
      if (!has("Cluster", o.spec?.cluster?.name))
        problems.push(`${o.kind}/${o.metadata.name}: Cluster "${o.spec?.cluster?.name}" does not exist`);
    if (!cnpg(o, "Cluster")) continue;
    for (const secret of [o.spec?.bootstrap?.initdb?.secret?.name, o.spec?.superuserSecret?.name])
      if (secret !== undefined && !hasOutOfBand(secret))
        problems.push(`Cluster/${o.metadata.name}: Secret "${secret}" does not exist`);
    for (const plugin of o.spec?.plugins ?? []) {
      const store = plugin.parameters?.barmanObjectName;
      if (store !== undefined && !has("ObjectStore", store))
        problems.push(`Cluster/${o.metadata.name}: ObjectStore "${store}" does not exist`);
    }
  }
  return problems;
}
