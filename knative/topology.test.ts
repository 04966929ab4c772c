import { describe, expect, it } from "vitest";
import { FUNCTIONS } from "../functions/registry.ts";
import { networkProblems } from "./checks/network.ts";
import { FUNCTION_NAMES } from "./checks/pods.ts";
import {
  cloneObjects,
  credentialsTemplate,
  findObject,
  type K8sObject,
  OVERLAYS,
  type Overlay,
  renderAll,
} from "./checks/render.ts";
import { topologyProblems } from "./checks/topology.ts";

// The objects fit together: a Service per function, every Trigger, sink and reference resolves, only
// auth reads the signing key, no workload has API rights, and the network policies leave no open door.

const rendered = await renderAll();
const template = await credentialsTemplate();
const functions = [...new Set([...FUNCTION_NAMES, ...FUNCTIONS.map((f) => f.name)])];

function broken(mutate: (objects: K8sObject[]) => void, overlay: Overlay = "staging"): string[] {
  const objects = cloneObjects(rendered[overlay]);
  mutate(objects);
  return topologyProblems(objects, template, functions);
}
const ksvc = (objects: K8sObject[], name: string) => findObject(objects, "serving.knative.dev/Service", name);

describe("topology", () => {
  it.each(OVERLAYS)("the %s overlay fits together", (overlay) => {
    expect(topologyProblems(rendered[overlay], template, functions)).toEqual([]);
    expect(networkProblems(rendered[overlay])).toEqual([]);
  });

  it("every function, registered or in the contract, has its Knative Service", () => {
    expect(functions).toEqual(expect.arrayContaining([...FUNCTION_NAMES]));
    const problems = broken((o) => {
      o.splice(o.indexOf(ksvc(o, "delivery")), 1);
    });
    expect(problems).toContain("function delivery has no Knative Service");
    expect(problems).toContainEqual(expect.stringMatching(/subscriber: Service "delivery" does not exist/));
  });

  it("every Trigger's broker and subscriber exist, and the subscriber listens on /events", () => {
    const problems = broken((o) => {
      const trigger = findObject(o, "eventing.knative.dev/Trigger");
      trigger.spec.broker = "elsewhere";
      trigger.spec.subscriber.ref.name = "kitchen";
      trigger.spec.subscriber.uri = "/api/orders";
    });
    expect(problems).toHaveLength(3);
    expect(problems.join("\n")).toMatch(/broker "elsewhere" does not exist/);
    expect(problems.join("\n")).toMatch(/Service "kitchen" does not exist/);
    expect(problems.join("\n")).toMatch(/receives events on \/events, not "\/api\/orders"/);
  });

  it("the SinkBinding points at the Broker and binds every function", () => {
    const problems = broken((o) => {
      findObject(o, "sources.knative.dev/SinkBinding").spec.sink.ref.name = "missing";
      delete ksvc(o, "cart").metadata.labels!["app.kubernetes.io/component"];
    });
    expect(problems).toContainEqual(
      expect.stringMatching(/SinkBinding\/tavola-functions sink: Broker "missing"/),
    );
    expect(problems).toContainEqual(expect.stringMatching(/does not bind function cart/));
  });

  it("only the auth function reads the signing key, and auth does", () => {
    const problems = broken((o) => {
      const menu = ksvc(o, "menu").spec.template.spec.containers[0];
      menu.envFrom.push({ secretRef: { name: "tavola-signing-key" } });
      const auth = ksvc(o, "auth").spec.template.spec.containers[0];
      auth.envFrom = auth.envFrom.filter(
        (f: { secretRef?: { name: string } }) => f.secretRef?.name !== "tavola-signing-key",
      );
    });
    expect(problems).toEqual([
      "Service/menu: only the auth function may read the signing key",
      "the auth function does not mount the signing key",
    ]);
  });

  it("every ConfigMap, Secret, claim and ServiceAccount referenced exists", () => {
    const problems = broken((o) => {
      ksvc(o, "order").spec.template.spec.containers[0].envFrom.push({
        configMapRef: { name: "orders-extra" },
      });
      findObject(
        o,
        "CronJob",
        "postgres-backup",
      ).spec.jobTemplate.spec.template.spec.volumes[0].persistentVolumeClaim.claimName = "gone";
      findObject(o, "Deployment", "gateway").spec.template.spec.serviceAccountName = "default";
      findObject(o, "Job", "migrate").spec.template.spec.serviceAccountName = "migrator";
    }, "dev");
    expect([...problems].sort()).toEqual([
      'CronJob/postgres-backup: volume claim "gone" does not exist',
      "Deployment/gateway: runs as the default ServiceAccount",
      'Job/migrate: ServiceAccount "migrator" does not exist',
      'Service/order: reads ConfigMap "orders-extra", which does not exist',
    ]);
  });

  it("every container asks for CPU and memory and has a memory limit", () => {
    const problems = broken((o) => {
      delete ksvc(o, "cart").spec.template.spec.containers[0].resources.limits;
      delete findObject(o, "StatefulSet", "postgres").spec.template.spec.containers[0].resources.requests.cpu;
    }, "dev");
    expect([...problems].sort()).toEqual([
      "Service/cart: container cart needs cpu and memory requests and a memory limit",
      "StatefulSet/postgres: container postgres needs cpu and memory requests and a memory limit",
    ]);
  });

  it("no token is mounted, no role granted, nothing outside the namespace", () => {
    const problems = broken((o) => {
      findObject(o, "ServiceAccount", "tavola-function").automountServiceAccountToken = true;
      o.push({
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: "edit", namespace: "tavola" },
      });
      findObject(o, "ConfigMap", "tavola-config").metadata.namespace = "default";
    });
    expect(problems).toHaveLength(3);
  });
});

describe("network policies", () => {
  function brokenNetwork(mutate: (objects: K8sObject[]) => void): string[] {
    const objects = cloneObjects(rendered.prod);
    mutate(objects);
    return networkProblems(objects);
  }

  it("deny by default", () => {
    const problems = brokenNetwork((o) => {
      o.splice(o.indexOf(findObject(o, "NetworkPolicy", "default-deny-ingress")), 1);
    });
    expect(problems).toEqual(["no default-deny ingress policy: every pod is open to every other pod"]);
  });

  it("let only Knative's data plane reach the functions, and only the functions reach PgBouncer", () => {
    const problems = brokenNetwork((o) => {
      findObject(o, "NetworkPolicy", "functions-from-knative").spec.ingress.push({});
      findObject(o, "NetworkPolicy", "pgbouncer-from-functions").spec.ingress[0].from.push({
        namespaceSelector: {},
      });
    });
    expect(problems).toEqual([
      "function pods: a rule admits every source",
      "PgBouncer: admits whole namespaces",
      "PgBouncer: admits every namespace",
    ]);
  });

  it("leave PostgreSQL closed when its policies go", () => {
    const problems = brokenNetwork((o) => {
      for (const name of ["postgres-from-clients", "postgres-from-operator"])
        o.splice(o.indexOf(findObject(o, "NetworkPolicy", name)), 1);
    });
    expect(problems).toEqual(["PostgreSQL: no ingress policy lets anything in"]);
  });

  it("let only the database operator's pods in from another namespace", () => {
    const problems = brokenNetwork((o) => {
      const from = findObject(o, "NetworkPolicy", "postgres-from-operator").spec.ingress[0].from[0];
      from.namespaceSelector.matchLabels["kubernetes.io/metadata.name"] = "default";
      const second = structuredClone(from);
      second.namespaceSelector.matchLabels["kubernetes.io/metadata.name"] = "cnpg-system";
      delete second.podSelector;
      findObject(o, "NetworkPolicy", "postgres-from-operator").spec.ingress[0].from.push(second);
    });
    expect(problems).toEqual(["PostgreSQL: admits whole namespaces", "PostgreSQL: admits whole namespaces"]);
  });
});
