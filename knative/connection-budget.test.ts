import { describe, expect, it } from "vitest";
import { budgetProblems, connectionBudget } from "./checks/connection-budget.ts";
import {
  cloneObjects,
  credentialsTemplate,
  findObject,
  type K8sObject,
  OVERLAYS,
  renderAll,
} from "./checks/render.ts";

// A scale-out of all five functions to their max-scale at once must not exhaust PgBouncer's client slots
// nor PostgreSQL's max_connections (docs/deploying.md, "Connection budget").

const rendered = await renderAll();
const template = await credentialsTemplate();

function broken(mutate: (objects: K8sObject[]) => void): string[] {
  const objects = cloneObjects(rendered.prod);
  mutate(objects);
  return budgetProblems(connectionBudget(objects, template));
}
const pooler = (objects: K8sObject[]) => findObject(objects, "Pooler", "pgbouncer");

describe("the connection budget", () => {
  it.each(OVERLAYS)("holds in the %s overlay", (overlay) => {
    const budget = connectionBudget(rendered[overlay], template);
    expect(budgetProblems(budget)).toEqual([]);
    expect(budget.functions.map((f) => f.name).sort()).toEqual(["auth", "cart", "delivery", "menu", "order"]);
  });

  it("adds up as docs/deploying.md says for prod", () => {
    const budget = connectionBudget(rendered.prod, template);
    expect(budget.clientConnections).toBe((10 + 20 + 10 + 10 + 5) * 5);
    expect(budget.pgbouncer).toEqual({
      replicas: 3,
      poolMode: "transaction",
      maxClientConn: 400,
      maxDbConnections: 50,
    });
    // Each PgBouncer's pool and its auth_query connection, the migration, one base backup, the reserve.
    expect(budget.pgbouncerAuthConnections).toBe(1);
    expect(budget.serverConnections).toBe(3 * (50 + 1) + 2 + 1 + 3);
    expect(budget.maxConnections).toBe(200);
  });

  it("reads dev's single PostgreSQL and PgBouncer Deployment as surely as the operator's objects", () => {
    const budget = connectionBudget(rendered.dev, template);
    expect(budget.pgbouncer).toEqual({
      replicas: 1,
      poolMode: "transaction",
      maxClientConn: 400,
      maxDbConnections: 35,
    });
    expect(budget.serverConnections).toBe(35 + 2 + 1 + 3);
    expect(budget.maxConnections).toBe(100);
    const objects = cloneObjects(rendered.dev);
    findObject(objects, "Deployment", "pgbouncer").spec.replicas = 3;
    expect(budgetProblems(connectionBudget(objects, template))).toEqual([
      "PostgreSQL may be asked for 111 connections; max_connections is 100",
    ]);
  });

  it("reports functions that could open more connections than PgBouncer takes", () => {
    const problems = broken((o) => {
      findObject(o, "serving.knative.dev/Service", "menu").spec.template.metadata.annotations[
        "autoscaling.knative.dev/max-scale"
      ] = "80"; // 275 - 20×5 + 80×5
    });
    expect(problems).toEqual(["functions may open 575 connections; one PgBouncer takes 400"]);
  });

  it("reports a bigger DB_POOL_MAX as surely as a bigger max-scale", () => {
    const problems = broken((o) => {
      findObject(o, "ConfigMap", "tavola-config").data.DB_POOL_MAX = "10";
    });
    expect(problems).toEqual(["functions may open 550 connections; one PgBouncer takes 400"]);
  });

  it("reports PgBouncer replicas that together exceed max_connections", () => {
    const problems = broken((o) => {
      pooler(o).spec.instances = 4;
    });
    expect(problems).toEqual(["PostgreSQL may be asked for 210 connections; max_connections is 200"]);
  });

  it("reports an unbounded function and a pool mode other than transaction", () => {
    const problems = broken((o) => {
      delete findObject(o, "serving.knative.dev/Service", "cart").spec.template.metadata.annotations[
        "autoscaling.knative.dev/max-scale"
      ];
      pooler(o).spec.pgbouncer.poolMode = "session";
    });
    expect(problems).toEqual([
      "cart: max-scale must be set: unbounded pods, unbounded connections",
      "PgBouncer pool_mode is session, not transaction",
    ]);
  });
});
