import { describe, expect, it } from "vitest";
import { backupScheduleProblem, haDatabaseProblems, haDatabaseTemplate } from "./checks/ha-database.ts";
import { loadOperatorSchemas, operatorSchemaProblems, strictSchema } from "./checks/operator-schemas.ts";
import {
  cloneObjects,
  credentialsTemplate,
  findObject,
  type K8sObject,
  KNATIVE_DIR,
  kustomize,
  renderAll,
} from "./checks/render.ts";
import { schemaProblems } from "./checks/schemas.ts";
import { topologyProblems } from "./checks/topology.ts";

// staging and prod run the database as a CloudNativePG cluster (components/ha-database); dev keeps one
// PostgreSQL under the same Service name. The operator's objects are validated strictly from the schemas
// the project keeps (checks/operator-schemas/), and each check is shown to catch an object broken in just
// that way.

const rendered = await renderAll();
const credentials = await credentialsTemplate();
const outOfBand = [...credentials, ...(await haDatabaseTemplate())];
const restore = await kustomize(`${KNATIVE_DIR}/restore`);

const operatorProblems = (objects: readonly K8sObject[]) =>
  objects.flatMap((o) => operatorSchemaProblems(o) ?? []);
function broken(mutate: (objects: K8sObject[]) => void, overlay: "staging" | "prod" = "prod") {
  const objects = cloneObjects(rendered[overlay]);
  mutate(objects);
  return objects;
}
const cluster = (o: K8sObject[]) => findObject(o, "Cluster", "tavola-db");
const pooler = (o: K8sObject[]) => findObject(o, "Pooler", "pgbouncer");

describe("the database of each overlay", () => {
  it.each(["staging", "prod"] as const)("%s runs the HA cluster, backed up, behind the pooler", (overlay) => {
    expect(haDatabaseProblems(rendered[overlay], outOfBand)).toEqual([]);
    expect(operatorProblems(rendered[overlay])).toEqual([]);
    const kinds = rendered[overlay].map((o) => o.kind);
    expect(kinds).toEqual(expect.arrayContaining(["Cluster", "Pooler", "ObjectStore", "ScheduledBackup"]));
    // Nothing of the single instance is left; the pooler's PodDisruptionBudget is.
    const names = rendered[overlay].map((o) => `${o.kind}/${o.metadata.name}`);
    for (const gone of [
      "StatefulSet/postgres",
      "CronJob/postgres-backup",
      "Deployment/pgbouncer",
      "Service/pgbouncer",
    ])
      expect(names).not.toContain(gone);
    expect(names).toContain("PodDisruptionBudget/pgbouncer");
  });

  it("dev keeps one PostgreSQL, under the read-write Service name staging and prod have", () => {
    expect(rendered.dev.some((o) => o.apiVersion.includes("cnpg.io"))).toBe(false);
    expect(findObject(rendered.dev, "StatefulSet", "postgres").spec.replicas).toBe(1);
    expect(findObject(rendered.dev, "Service", "tavola-db-rw").spec.clusterIP).toBe("None");
    expect(haDatabaseProblems(rendered.dev, outOfBand)).toEqual(["no Cluster tavola-db"]);
  });

  it("prod is bigger than staging, and each overlay backs up to its own place", () => {
    expect(cluster(rendered.prod).spec.storage.size).toBe("100Gi");
    expect(cluster(rendered.staging).spec.storage.size).toBe("20Gi");
    expect(pooler(rendered.prod).spec.instances).toBe(3);
    const path = (overlay: "staging" | "prod") =>
      findObject(rendered[overlay], "ObjectStore", "tavola-db-backup").spec.configuration.destinationPath;
    expect([path("staging"), path("prod")]).toEqual([
      "s3://tavola-db-backups/staging",
      "s3://tavola-db-backups/prod",
    ]);
  });

  it("reports a cluster that is not highly available", () => {
    const objects = broken((o) => {
      cluster(o).spec.instances = 1;
      delete cluster(o).spec.postgresql.synchronous;
      cluster(o).spec.affinity.podAntiAffinityType = "preferred";
      cluster(o).spec.enablePDB = false;
      delete cluster(o).spec.resources.requests.cpu;
    });
    expect(haDatabaseProblems(objects, outOfBand)).toEqual([
      "Cluster/tavola-db: 1 instances; a primary and two replicas need 3",
      "Cluster/tavola-db: replication is not synchronous: a failover may lose acknowledged commits",
      "Cluster/tavola-db: instances must be kept on different nodes (required pod anti-affinity)",
      "Cluster/tavola-db: the operator's PodDisruptionBudgets are turned off",
      "Cluster/tavola-db: needs cpu and memory requests and a memory limit",
    ]);
  });

  it("reports missing archiving, backups and credentials", () => {
    const objects = broken((o) => {
      cluster(o).spec.plugins[0].isWALArchiver = false;
      findObject(o, "ScheduledBackup", "tavola-db-nightly").spec.schedule = "17 2 * * *";
    });
    expect(haDatabaseProblems(objects, outOfBand)).toEqual([
      "Cluster/tavola-db: no continuous WAL archiving to an ObjectStore",
      'ScheduledBackup/tavola-db-nightly: spec.schedule: "17 2 * * *" has 5 fields, not 6 (seconds first)',
      "ScheduledBackup/tavola-db-nightly: must back up through the WAL archiver's plugin",
    ]);
    const noSecret = broken((o) => {
      findObject(o, "ObjectStore", "tavola-db-backup").spec.configuration.s3Credentials.secretAccessKey.key =
        "SECRET";
    });
    expect(haDatabaseProblems(noSecret, outOfBand)).toEqual([
      "ObjectStore/tavola-db-backup: Secret tavola-db-backup-s3 has no key SECRET",
    ]);
    expect(backupScheduleProblem("0 17 25 * * *")).toBe('bad hour "25" in "17 25 * * *"');
  });

  it("reports a pooler that is not a transaction pooler at the primary", () => {
    const objects = broken((o) => {
      pooler(o).spec.type = "ro";
      pooler(o).spec.pgbouncer.poolMode = "session";
      pooler(o).spec.instances = 1;
      delete pooler(o).spec.template.spec.containers[0].resources.limits;
    });
    expect(haDatabaseProblems(objects, outOfBand)).toEqual([
      "Pooler/pgbouncer: must send to the primary (type rw)",
      "Pooler/pgbouncer: poolMode must be transaction",
      "Pooler/pgbouncer: one instance is a single point of failure",
      "Pooler/pgbouncer: container pgbouncer needs cpu and memory requests and a memory limit",
    ]);
  });
});

describe("the database's names in the topology check", () => {
  it("holds in every overlay, and reports a host no Service or Pooler provides", () => {
    const moved = structuredClone(credentials);
    findObject(moved, "Secret", "tavola-migrate").stringData.DATABASE_URL =
      "postgres://tavola:x@postgres:5432/tavola";
    findObject(moved, "Secret", "tavola-database").stringData.DATABASE_URL =
      "postgres://tavola:x@tavola-db-rw:5432/tavola";
    expect(topologyProblems(rendered.staging, moved)).toEqual([
      `the functions' DATABASE_URL names "tavola-db-rw": they must go through the pooler`,
      `the migration's DATABASE_URL names "postgres", which is no read-write PostgreSQL Service`,
    ]);
    expect(topologyProblems(rendered.dev, moved)).toEqual([
      `the migration's DATABASE_URL names "postgres", which is no read-write PostgreSQL Service`,
    ]);
  });

  it("reports operator objects that name what does not exist", () => {
    const objects = broken((o) => {
      pooler(o).spec.cluster.name = "tavola";
      cluster(o).spec.bootstrap.initdb.secret.name = "app";
      cluster(o).spec.plugins[0].parameters.barmanObjectName = "bucket";
    }, "staging");
    expect(topologyProblems(objects, credentials).sort()).toEqual([
      'Cluster/tavola-db: ObjectStore "bucket" does not exist',
      'Cluster/tavola-db: Secret "app" does not exist',
      'Pooler/pgbouncer: Cluster "tavola" does not exist',
    ]);
  });
});

describe("strict validation of the operator's objects", () => {
  it("accepts the restore manifest, and validates operator kinds in schemaProblems", async () => {
    expect(await schemaProblems(restore)).toEqual([]);
    expect(restore[0]!.spec.bootstrap.recovery.recoveryTarget.targetTime).toMatch(/Z$/);
    const objects = broken((o) => {
      cluster(o).spec.instancess = 3;
    });
    expect(await schemaProblems(objects)).toEqual(['Cluster/tavola-db: /spec: unknown field "instancess"']);
  });

  it("refuses an unknown field at any depth, and a misplaced one", () => {
    const objects = broken((o) => {
      cluster(o).spec.postgresql.synchronous.dataDurabilty = "required";
      pooler(o).spec.pgbouncer.pool_mode = "transaction";
      findObject(
        o,
        "ObjectStore",
        "tavola-db-backup",
      ).spec.configuration.s3Credentials.accessKeyId.namespace = "x";
      Object.assign(findObject(o, "ScheduledBackup", "tavola-db-nightly").metadata, { label: { a: "b" } });
    });
    expect(operatorProblems(objects).sort()).toEqual([
      'Cluster/tavola-db: /spec/postgresql/synchronous: unknown field "dataDurabilty"',
      'ObjectStore/tavola-db-backup: /spec/configuration/s3Credentials/accessKeyId: unknown field "namespace"',
      'Pooler/pgbouncer: /spec/pgbouncer: unknown field "pool_mode"',
      'ScheduledBackup/tavola-db-nightly: /metadata: unknown field "label"',
    ]);
  });

  it("requires the required fields", () => {
    const objects = broken((o) => {
      delete cluster(o).spec.instances;
      delete pooler(o).spec.cluster;
      delete findObject(o, "ScheduledBackup", "tavola-db-nightly").spec.schedule;
      delete findObject(o, "ObjectStore", "tavola-db-backup").spec.configuration.destinationPath;
      delete cluster(o).spec.postgresql.synchronous.number;
    });
    expect(operatorProblems(objects).sort()).toEqual([
      'Cluster/tavola-db: /spec/postgresql/synchronous: missing required field "number"',
      'Cluster/tavola-db: /spec: missing required field "instances"',
      'ObjectStore/tavola-db-backup: /spec/configuration: missing required field "destinationPath"',
      'Pooler/pgbouncer: /spec: missing required field "cluster"',
      'ScheduledBackup/tavola-db-nightly: /spec: missing required field "schedule"',
    ]);
  });

  it("checks types, enums and patterns", () => {
    const objects = broken((o) => {
      cluster(o).spec.instances = "3";
      pooler(o).spec.pgbouncer.poolMode = "statement";
      findObject(o, "ObjectStore", "tavola-db-backup").spec.retentionPolicy = "30 days";
      cluster(o).spec.postgresql.parameters.max_connections = 200;
    });
    expect(operatorProblems(objects).sort()).toEqual([
      "Cluster/tavola-db: /spec/instances: must be integer",
      "Cluster/tavola-db: /spec/postgresql/parameters/max_connections: must be string",
      'ObjectStore/tavola-db-backup: /spec/retentionPolicy: must match pattern "^[1-9][0-9]*[dwm]$"',
      "Pooler/pgbouncer: /spec/pgbouncer/poolMode: must be equal to one of the allowed values",
    ]);
  });

  it("makes every listed object strict, but leaves maps and kept-open objects alone", () => {
    expect(
      strictSchema({
        type: "object",
        properties: { a: { type: "object", properties: { b: { type: "string" } } } },
      }),
    ).toEqual({
      type: "object",
      additionalProperties: false,
      properties: {
        a: { type: "object", additionalProperties: false, properties: { b: { type: "string" } } },
      },
    });
    const open = { type: "object", properties: {}, "x-kubernetes-preserve-unknown-fields": true };
    expect(strictSchema(open)).toEqual(open);
    const map = { type: "object", additionalProperties: { type: "string" } };
    expect(strictSchema(map)).toEqual(map);
    expect([...loadOperatorSchemas().keys()].sort()).toEqual([
      "barmancloud.cnpg.io/v1 ObjectStore",
      "postgresql.cnpg.io/v1 Cluster",
      "postgresql.cnpg.io/v1 Pooler",
      "postgresql.cnpg.io/v1 ScheduledBackup",
    ]);
  });

  it("leaves kinds it has no schema for to kubernetes-models", () => {
    expect(operatorSchemaProblems(findObject(rendered.prod, "Service", "gateway"))).toBeUndefined();
  });
});
