import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FUNCTION_NAMES } from "../shared/names.ts";
import {
  credentialsTemplate,
  eventingIsPlaceholder,
  findObject,
  type K8sObject,
  KNATIVE_DIR,
  kustomize,
  OVERLAYS,
  renderAll,
} from "./checks/render.ts";

// Every overlay renders with `kubectl kustomize` (CI fails loudly where kubectl is missing: .ci/run), and
// each overlay says what it is meant to say.

const rendered = await renderAll();
const annotation = (o: K8sObject, key: string): string =>
  o.spec.template.metadata.annotations[`autoscaling.knative.dev/${key}`];

describe("kubectl kustomize", () => {
  it.each(OVERLAYS)("renders the %s overlay, all of it in the tavola namespace", (overlay) => {
    const objects = rendered[overlay];
    expect(objects.length).toBeGreaterThan(30);
    for (const o of objects)
      if (o.kind !== "Namespace") expect(o.metadata.namespace, o.metadata.name).toBe("tavola");
  });

  it("renders the real eventing directory once it is more than the placeholder", async () => {
    const placeholder = await eventingIsPlaceholder();
    const direct = await kustomize(join(KNATIVE_DIR, "overlays", "dev"));
    const brokers = direct.filter((o) => o.kind === "Broker");
    expect(brokers.length > 0).toBe(!placeholder);
  });

  it("fails loudly on a directory that does not render", async () => {
    await expect(kustomize(join(KNATIVE_DIR, "no-such-overlay"))).rejects.toThrow();
  });
});

describe("the overlays", () => {
  it("give each environment its own image tag", () => {
    const tags = OVERLAYS.map(
      (o) =>
        findObject(rendered[o], "serving.knative.dev/Service", "menu").spec.template.spec.containers[0].image,
    );
    expect(new Set(tags).size).toBe(3);
  });

  it("keep everything scale-to-zero but prod's latency-critical auth, menu and order", () => {
    for (const overlay of OVERLAYS)
      for (const fn of FUNCTION_NAMES) {
        const svc = findObject(rendered[overlay], "serving.knative.dev/Service", fn);
        const warm = overlay === "prod" && ["auth", "menu", "order"].includes(fn);
        expect(annotation(svc, "min-scale"), `${overlay} ${fn}`).toBe(warm ? "1" : "0");
      }
  });

  it("use the channel-based broker in dev and staging and the Kafka broker in prod", () => {
    for (const overlay of OVERLAYS) {
      const broker = findObject(rendered[overlay], "eventing.knative.dev/Broker");
      const cls = broker.metadata.annotations?.["eventing.knative.dev/broker.class"];
      expect(cls, overlay).toBe(overlay === "prod" ? "Kafka" : "MTChannelBasedBroker");
    }
    const kafka = findObject(rendered.prod, "eventing.knative.dev/Broker");
    expect(kafka.spec.config).toMatchObject({ kind: "ConfigMap", name: "kafka-broker-config" });
    expect(
      findObject(rendered.prod, "ConfigMap", "kafka-broker-config").data["bootstrap.servers"],
    ).toBeTruthy();
  });

  it("grow the database's volume from dev to prod", () => {
    const size = (overlay: (typeof OVERLAYS)[number]) =>
      Number.parseInt(
        overlay === "dev"
          ? findObject(rendered.dev, "StatefulSet", "postgres").spec.volumeClaimTemplates[0].spec.resources
              .requests.storage
          : findObject(rendered[overlay], "Cluster", "tavola-db").spec.storage.size,
        10,
      );
    expect(size("dev")).toBeLessThan(size("staging"));
    expect(size("staging")).toBeLessThan(size("prod"));
  });

  it("never render a Secret: credentials are created out of band, from the template", async () => {
    for (const overlay of OVERLAYS) expect(rendered[overlay].filter((o) => o.kind === "Secret")).toEqual([]);
    const template = await credentialsTemplate();
    const secrets = template.filter((o) => o.kind === "Secret");
    expect(secrets.map((s) => s.metadata.name).sort()).toEqual([
      "pgbouncer-userlist",
      "postgres-credentials",
      "tavola-database",
      "tavola-db-app",
      "tavola-db-superuser",
      "tavola-migrate",
      "tavola-signing-key",
    ]);
    const text = await readFile(join(KNATIVE_DIR, "base", "credentials.template.yaml"), "utf8");
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
    for (const secret of secrets)
      for (const [key, value] of Object.entries<string>(secret.stringData))
        if (/PASSWORD|password|KEY|userlist|URL/.test(key) && key !== "JWT_KEY_ID")
          expect(value, `${secret.metadata.name}.${key}`).toContain("REPLACE_ME");
  });
});
