import { containerEnv } from "./config-env.ts";
import { databaseSettings } from "./database-settings.ts";
import { tavolaContainers } from "./pods.ts";
import type { K8sObject } from "./render.ts";

/** The numbers of the connection budget of one rendered overlay (docs/deploying.md explains them). */
export interface ConnectionBudget {
  /** Per function: its max-scale, its DB_POOL_MAX, and so the client connections it may open. */
  functions: { name: string; maxScale: number; poolMax: number; connections: number }[];
  /** Σ max-scale × DB_POOL_MAX: every function at its ceiling at once. */
  clientConnections: number;
  pgbouncer: { replicas: number; poolMode: string; maxClientConn: number; maxDbConnections: number };
  /** The connections each PgBouncer holds besides its pool: the operator's one for auth_query. */
  pgbouncerAuthConnections: number;
  /** What reaches PostgreSQL itself: PgBouncer's pools, the migration Job, the backup, the reserve. */
  serverConnections: number;
  migratePool: number;
  backupConnections: number;
  superuserReserved: number;
  maxConnections: number;
}

/** Reads the budget's numbers from a rendered overlay. */
export function connectionBudget(
  objects: readonly K8sObject[],
  outOfBand: readonly K8sObject[],
): ConnectionBudget {
  const sources = [...objects, ...outOfBand];
  const containers = tavolaContainers(objects);
  const poolOf = (c: (typeof containers)[number]) =>
    Number(containerEnv(c.container, sources).values.DB_POOL_MAX ?? 5);
  const functions = containers
    .filter((c) => c.owner.kind === "Service")
    .map((c) => {
      const annotations = c.owner.spec.template.metadata?.annotations ?? {};
      const maxScale = Number(annotations["autoscaling.knative.dev/max-scale"] ?? 0);
      const poolMax = poolOf(c);
      return { name: c.function, maxScale, poolMax, connections: maxScale * poolMax };
    });
  const migrate = containers.find((c) => c.function === "migrate");

  const db = databaseSettings(objects);
  const setting = db.pgbouncer;
  const defaultPool = Number(setting("default_pool_size") ?? 20);
  const maxDb = Number(setting("max_db_connections") ?? 0);
  const pgbouncer = {
    replicas: db.pgbouncerReplicas,
    poolMode: setting("pool_mode") ?? "session",
    maxClientConn: Number(setting("max_client_conn") ?? 100),
    // 0 means unlimited: then each (database, user) pool may grow to default_pool_size; Tavola has one.
    maxDbConnections: maxDb > 0 ? Math.min(maxDb, defaultPool) : defaultPool,
  };

  const pgSetting = (key: string, fallback: number) => Number(db.postgres(key) ?? fallback);
  const migratePool = migrate ? poolOf(migrate) : 0;
  const backupConnections = db.backupConnections;
  const superuserReserved = pgSetting("superuser_reserved_connections", 3);
  return {
    functions,
    clientConnections: functions.reduce((sum, f) => sum + f.connections, 0),
    pgbouncer,
    pgbouncerAuthConnections: db.pgbouncerAuthConnections,
    serverConnections:
      pgbouncer.replicas * (pgbouncer.maxDbConnections + db.pgbouncerAuthConnections) +
      migratePool +
      backupConnections +
      superuserReserved,
    migratePool,
    backupConnections,
    superuserReserved,
    maxConnections: pgSetting("max_connections", 100),
  };
}

/** Where a scale-out of every function at once would exhaust a limit. */
export function budgetProblems(budget: ConnectionBudget): string[] {
  const problems: string[] = [];
  for (const f of budget.functions)
    if (f.maxScale <= 0)
      problems.push(`${f.name}: max-scale must be set: unbounded pods, unbounded connections`);
  if (budget.pgbouncer.poolMode !== "transaction")
    problems.push(`PgBouncer pool_mode is ${budget.pgbouncer.poolMode}, not transaction`);
  // Clients spread over the replicas only per connection: one replica must hold them all.
  if (budget.clientConnections > budget.pgbouncer.maxClientConn)
    problems.push(
      `functions may open ${budget.clientConnections} connections; one PgBouncer takes ${budget.pgbouncer.maxClientConn}`,
    );
  if (budget.serverConnections > budget.maxConnections)
    problems.push(
      `PostgreSQL may be asked for ${budget.serverConnections} connections; max_connections is ${budget.maxConnections}`,
    );
  return problems;
}
