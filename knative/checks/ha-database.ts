import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { cronProblem } from "./formats.ts";
import { isKind, type K8sObject, KNATIVE_DIR, parseObjects } from "./render.ts";

// What the issue asks of the database of staging and prod, checked on the render: three instances on
// three nodes, synchronous replication, disruption budgets, continuous archiving and nightly base backups
// to object storage with credentials from a Secret, and the functions behind a transaction pooler that
// follows the primary.

/** The Cluster every overlay with the HA database renders (components/ha-database). */
export const CLUSTER_NAME = "tavola-db";
/** The Secret of the backup's object storage credentials, created out of band from its template. */
export const BACKUP_SECRET = "tavola-db-backup-s3";

/** The out-of-band objects of the HA database: the object storage Secret's template. */
export async function haDatabaseTemplate(): Promise<K8sObject[]> {
  const path = join(KNATIVE_DIR, "components", "ha-database", "backup-s3.template.yaml");
  return parseObjects(await readFile(path, "utf8"));
}

const cnpg = (o: K8sObject, kind: string) =>
  isKind(o, kind) && /^(postgresql|barmancloud)\.cnpg\.io\//.test(o.apiVersion);

/**
 * CloudNativePG's ScheduledBackup schedule has six fields, seconds first; the other five are a standard
 * cron line.
 */
export function backupScheduleProblem(schedule: string): string | undefined {
  const fields = String(schedule).trim().split(/\s+/);
  if (fields.length !== 6) return `"${schedule}" has ${fields.length} fields, not 6 (seconds first)`;
  const seconds = Number(fields[0]);
  if (!/^\d+$/.test(fields[0]!) || seconds > 59) return `bad second "${fields[0]}" in "${schedule}"`;
  return cronProblem(fields.slice(1).join(" "));
}

/** Every way the render falls short of a highly available, backed-up database. */
export function haDatabaseProblems(objects: readonly K8sObject[], outOfBand: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const cluster = objects.find((o) => cnpg(o, "Cluster") && o.metadata.name === CLUSTER_NAME);
  if (!cluster) return [`no Cluster ${CLUSTER_NAME}`];
  const spec = cluster.spec ?? {};
  const at = `Cluster/${CLUSTER_NAME}`;
  if (!(spec.instances >= 3))
    problems.push(`${at}: ${spec.instances} instances; a primary and two replicas need 3`);
  const sync = spec.postgresql?.synchronous;
  if (!sync || sync.number < 1)
    problems.push(`${at}: replication is not synchronous: a failover may lose acknowledged commits`);
  else if (sync.dataDurability !== "required")
    problems.push(`${at}: dataDurability must be required, or the primary commits alone when replicas go`);
  const affinity = spec.affinity ?? {};
  if (affinity.enablePodAntiAffinity !== true || affinity.podAntiAffinityType !== "required")
    problems.push(`${at}: instances must be kept on different nodes (required pod anti-affinity)`);
  if ((affinity.topologyKey ?? "kubernetes.io/hostname") !== "kubernetes.io/hostname")
    problems.push(`${at}: anti-affinity must be by node (kubernetes.io/hostname)`);
  if (spec.enablePDB === false) problems.push(`${at}: the operator's PodDisruptionBudgets are turned off`);
  if (!sized(spec.resources)) problems.push(`${at}: needs cpu and memory requests and a memory limit`);

  const archiver = (spec.plugins ?? []).find((p: { isWALArchiver?: boolean }) => p.isWALArchiver === true);
  const store = objects.find(
    (o) => cnpg(o, "ObjectStore") && o.metadata.name === archiver?.parameters?.barmanObjectName,
  );
  if (!archiver || !store) problems.push(`${at}: no continuous WAL archiving to an ObjectStore`);
  if (store) {
    const config = store.spec?.configuration ?? {};
    if (!String(config.destinationPath ?? "").startsWith("s3://") || /REPLACE/.test(config.destinationPath))
      problems.push(
        `ObjectStore/${store.metadata.name}: destinationPath must be an s3:// bucket of the overlay`,
      );
    const s3 = config.s3Credentials ?? {};
    for (const ref of [s3.accessKeyId, s3.secretAccessKey]) {
      if (ref?.name !== BACKUP_SECRET) {
        problems.push(
          `ObjectStore/${store.metadata.name}: S3 credentials must come from Secret ${BACKUP_SECRET}`,
        );
        continue;
      }
      const secret = outOfBand.find((o) => o.kind === "Secret" && o.metadata.name === ref.name);
      if (!secret || !(ref.key in (secret.stringData ?? {})))
        problems.push(`ObjectStore/${store.metadata.name}: Secret ${ref.name} has no key ${ref.key}`);
    }
  }
  const backups = objects.filter((o) => cnpg(o, "ScheduledBackup") && o.spec?.cluster?.name === CLUSTER_NAME);
  if (backups.length === 0) problems.push(`${at}: no ScheduledBackup: no base backups to recover from`);
  for (const b of backups) {
    const problem = backupScheduleProblem(b.spec?.schedule);
    if (problem) problems.push(`ScheduledBackup/${b.metadata.name}: spec.schedule: ${problem}`);
    if (b.spec?.method !== "plugin" || b.spec?.pluginConfiguration?.name !== archiver?.name)
      problems.push(`ScheduledBackup/${b.metadata.name}: must back up through the WAL archiver's plugin`);
  }

  const poolers = objects.filter((o) => cnpg(o, "Pooler") && o.spec?.cluster?.name === CLUSTER_NAME);
  if (poolers.length === 0) problems.push(`${at}: no Pooler in front of it`);
  for (const p of poolers) {
    if ((p.spec?.type ?? "rw") !== "rw")
      problems.push(`Pooler/${p.metadata.name}: must send to the primary (type rw)`);
    if (p.spec?.pgbouncer?.poolMode !== "transaction")
      problems.push(`Pooler/${p.metadata.name}: poolMode must be transaction`);
    if (!(p.spec?.instances >= 2))
      problems.push(`Pooler/${p.metadata.name}: one instance is a single point of failure`);
  }
  for (const p of poolers)
    for (const c of p.spec?.template?.spec?.containers ?? [])
      if (!sized(c.resources))
        problems.push(
          `Pooler/${p.metadata.name}: container ${c.name} needs cpu and memory requests and a memory limit`,
        );
  return problems;
}

// biome-ignore lint/suspicious/noExplicitAny: resources as YAML gives them
function sized(resources: any): boolean {
  return Boolean(resources?.requests?.cpu && resources?.requests?.memory && resources?.limits?.memory);
}
