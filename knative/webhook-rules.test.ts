import { describe, expect, it } from "vitest";
import { cloneObjects, findObject, type K8sObject, OVERLAYS, renderAll } from "./checks/render.ts";
import { webhookProblems } from "./checks/webhook-rules.ts";

// What Knative's admission webhooks would refuse at apply time, checked without a cluster. Each rule is
// shown to catch a manifest broken in just that way.

const rendered = await renderAll();

function broken(
  mutate: (objects: K8sObject[]) => void,
  overlay: (typeof OVERLAYS)[number] = "prod",
): string[] {
  const objects = cloneObjects(rendered[overlay]);
  mutate(objects);
  return webhookProblems(objects);
}
const ksvc = (objects: K8sObject[], name = "order") =>
  findObject(objects, "serving.knative.dev/Service", name);
const annotations = (objects: K8sObject[]) => ksvc(objects).spec.template.metadata.annotations;

describe("webhook-only rules", () => {
  it.each(OVERLAYS)("hold for every object of the %s overlay", (overlay) => {
    expect(webhookProblems(rendered[overlay])).toEqual([]);
  });

  it("traffic percents must sum to 100, and name a revision or the latest", () => {
    const problems = broken((o) => {
      ksvc(o).spec.traffic = [
        { latestRevision: true, percent: 80 },
        { revisionName: "order-00001", percent: 10, tag: "previous" },
      ];
    });
    expect(problems).toEqual(["Service/order: spec.traffic: percents sum to 90, not 100"]);
    const both = broken((o) => {
      ksvc(o).spec.traffic = [{ latestRevision: true, revisionName: "order-00001", percent: 100 }];
    });
    expect(both).toEqual([
      expect.stringContaining("spec.traffic.0: name a revisionName or set latestRevision"),
    ]);
  });

  it.each(["PORT", "K_SERVICE", "K_CONFIGURATION", "K_REVISION"])(
    "no container may set the reserved %s",
    (name) => {
      const problems = broken((o) => {
        ksvc(o, "menu").spec.template.spec.containers[0].env.push({ name, value: "x" });
      });
      expect(problems).toEqual([
        `Service/menu: spec.template.spec.containers.0.env: ${name} is reserved by Knative`,
      ]);
    },
  );

  it("exactly one container port, and probes on it", () => {
    const two = broken((o) => {
      ksvc(o).spec.template.spec.containers[0].ports.push({ name: "h2c", containerPort: 9090 });
    });
    expect(two).toEqual([
      "Service/order: spec.template.spec.containers: exactly one container port must be declared",
    ]);
    const none = broken((o) => {
      delete ksvc(o).spec.template.spec.containers[0].ports;
    });
    expect(none).toContainEqual(expect.stringContaining("exactly one container port"));
    const probe = broken((o) => {
      ksvc(o).spec.template.spec.containers[0].livenessProbe.httpGet.port = 9091;
    });
    expect(probe).toEqual([
      "Service/order: spec.template.spec.containers.0.livenessProbe: probe port 9091 is not 8080",
    ]);
  });

  it("autoscaling annotations must be known keys with valid values, on the template", () => {
    const unknown = broken((o) => {
      annotations(o)["autoscaling.knative.dev/maxScale"] = "3";
    });
    expect(unknown).toEqual([
      expect.stringContaining("autoscaling.knative.dev/maxScale: unknown autoscaling annotation"),
    ]);
    const value = broken((o) => {
      annotations(o)["autoscaling.knative.dev/window"] = "2s";
      annotations(o)["autoscaling.knative.dev/metric"] = "latency";
    });
    expect(value).toHaveLength(2);
    const order = broken((o) => {
      annotations(o)["autoscaling.knative.dev/min-scale"] = "12";
    });
    expect(order).toEqual([expect.stringContaining("min-scale exceeds max-scale")]);
    const misplaced = broken((o) => {
      ksvc(o).metadata.annotations = { "autoscaling.knative.dev/min-scale": "1" };
    });
    expect(misplaced).toEqual([expect.stringContaining("belongs on spec.template.metadata")]);
  });

  it("delivery durations are ISO-8601 and the backoff policy linear or exponential", () => {
    const problems = broken((o) => {
      const broker = findObject(o, "eventing.knative.dev/Broker");
      broker.spec.delivery.backoffDelay = "500ms";
      broker.spec.delivery.backoffPolicy = "fibonacci";
    });
    expect(problems).toHaveLength(2);
    expect(problems.join("\n")).toMatch(/backoffDelay: must be an ISO-8601 duration/);
    expect(problems.join("\n")).toMatch(/backoffPolicy/);
  });

  it("cron schedules must parse, for PingSources and CronJobs alike", () => {
    const problems = broken((o) => {
      findObject(o, "sources.knative.dev/PingSource").spec.schedule = "*/1 * * *";
      findObject(o, "CronJob", "postgres-backup").spec.schedule = "17 25 * * *";
    }, "dev");
    expect(problems).toHaveLength(2);
    expect(problems).toContainEqual(expect.stringMatching(/^PingSource\/.*has 4 fields, not 5/));
    expect(problems).toContainEqual('CronJob/postgres-backup: spec.schedule: bad hour "25" in "17 25 * * *"');
  });

  it("containerConcurrency and timeoutSeconds stay within Knative's bounds", () => {
    const problems = broken((o) => {
      ksvc(o).spec.template.spec.containerConcurrency = 5000;
      ksvc(o).spec.template.spec.timeoutSeconds = 3600;
    });
    expect(problems).toHaveLength(2);
  });
});
