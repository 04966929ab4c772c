import { findObject, isKind, type K8sObject } from "./render.ts";

/** The database tier's settings, as the connection budget reads them, whoever runs the tier. */
export interface DatabaseSettings {
  /** A PgBouncer setting (pgbouncer.ini's names), undefined when unset. */
  pgbouncer(key: string): string | undefined;
  pgbouncerReplicas: number;
  /** Connections each PgBouncer opens besides its pool (the operator's auth_query connection). */
  pgbouncerAuthConnections: number;
  /** A PostgreSQL setting (max_connections, …), undefined when unset. */
  postgres(key: string): string | undefined;
  /** Connections a base backup holds while it runs. */
  backupConnections: number;
}

/**
 * Reads the settings from either shape of the render: CloudNativePG's Cluster and Pooler (staging and
 * prod, components/ha-database), or the base's StatefulSet, PgBouncer Deployment and pg_dump CronJob (dev).
 */
export function databaseSettings(objects: readonly K8sObject[]): DatabaseSettings {
  const pooler = objects.find((o) => isKind(o, "Pooler") && o.apiVersion.startsWith("postgresql.cnpg.io/"));
  if (pooler) {
    const cluster = findObject(objects, "Cluster", pooler.spec?.cluster?.name);
    const parameters: Record<string, string> = pooler.spec?.pgbouncer?.parameters ?? {};
    const pgParameters: Record<string, string> = cluster.spec?.postgresql?.parameters ?? {};
    return {
      pgbouncer: (key) => (key === "pool_mode" ? pooler.spec?.pgbouncer?.poolMode : parameters[key]),
      pgbouncerReplicas: Number(pooler.spec?.instances ?? 1),
      pgbouncerAuthConnections: 1,
      postgres: (key) => pgParameters[key],
      // barman-cloud-backup, one at a time (the ScheduledBackup's, or one started by hand).
      backupConnections: objects.some((o) => isKind(o, "ScheduledBackup")) ? 1 : 0,
    };
  }
  const ini = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("pgbouncer-config"))
    ?.data?.["pgbouncer.ini"] as string | undefined;
  const args: string[] =
    findObject(objects, "StatefulSet", "postgres").spec.template.spec.containers[0].args ?? [];
  return {
    pgbouncer: (key) => new RegExp(`^${key}\\s*=\\s*(\\S+)`, "m").exec(ini ?? "")?.[1],
    pgbouncerReplicas: Number(findObject(objects, "Deployment", "pgbouncer").spec?.replicas ?? 1),
    pgbouncerAuthConnections: 0,
    postgres: (key) => args.find((a) => a.startsWith(`${key}=`))?.split("=")[1],
    backupConnections: objects.some((o) => o.kind === "CronJob") ? 1 : 0,
  };
}
