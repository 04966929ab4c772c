import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCrdSchemas } from "./checks/crd-schemas.ts";
import { cloneObjects, findObject, type K8sObject, OVERLAYS, renderAll } from "./checks/render.ts";
import { schemaProblems } from "./checks/schemas.ts";

// Every rendered object validates strictly against the schema of its kind (Knative 1.22's, Kubernetes'
// own, or a CRD in knative/schemas): wrong types and unknown fields alike are problems, as they are for
// `kubectl apply` with its default strict field validation.

const rendered = await renderAll();

/** Renames the field `from` of the object at `path` (dotted, numbers index arrays) to `to`. */
function renameField(object: K8sObject, path: string, from: string, to: string): void {
  // biome-ignore lint/suspicious/noExplicitAny: walking an untyped manifest
  let at: any = object;
  for (const part of path.split(".")) at = at[part];
  expect(at).toHaveProperty(from);
  at[to] = at[from];
  delete at[from];
}

describe("schema validation (kubernetes-models 5, @kubernetes-models/knative 4: Knative 1.22)", () => {
  it.each(OVERLAYS)("accepts every object of the %s overlay", async (overlay) => {
    expect(await schemaProblems(rendered[overlay])).toEqual([]);
  });

  it("reports a Knative Service whose container port is a string", async () => {
    const objects = cloneObjects(rendered.dev);
    findObject(
      objects,
      "serving.knative.dev/Service",
      "cart",
    ).spec.template.spec.containers[0].ports[0].containerPort = "8080";
    expect(await schemaProblems(objects)).toEqual([
      expect.stringMatching(/^Service\/cart: .*containerPort must be integer/),
    ]);
  });

  it("reports a StatefulSet without a selector and a Trigger whose broker is not a name", async () => {
    const objects = cloneObjects(rendered.dev);
    delete findObject(objects, "StatefulSet", "postgres").spec.selector;
    findObject(objects, "eventing.knative.dev/Trigger").spec.broker = 42;
    const problems = await schemaProblems(objects);
    expect(problems).toContainEqual(expect.stringMatching(/^StatefulSet\/postgres: .*selector/));
    expect(problems).toContainEqual(expect.stringMatching(/^Trigger\/.*broker must be string/));
    expect(problems).toHaveLength(2);
  });

  it("reports an object of a kind it has no schema for, rather than skipping it", async () => {
    const objects = cloneObjects(rendered.staging);
    objects.push({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } });
    expect(await schemaProblems(objects)).toEqual(["Widget/w: no schema for example.com/v1 Widget"]);
  });
});

describe("unknown fields are refused", () => {
  it.each([
    [
      "serving.knative.dev/Service",
      "cart",
      "spec.template.spec",
      "containerConcurrency",
      "containerConcurency",
    ],
    [
      "serving.knative.dev/Service",
      "menu",
      "spec.template.spec.containers.0.readinessProbe.httpGet",
      "path",
      "pth",
    ],
    ["eventing.knative.dev/Trigger", undefined, "spec.filter", "attributes", "atributes"],
    ["sources.knative.dev/PingSource", undefined, "spec", "schedule", "shedule"],
    ["sources.knative.dev/SinkBinding", undefined, "spec.subject", "selector", "selecter"],
    ["eventing.knative.dev/Broker", undefined, "spec", "delivery", "delivry"],
    ["Deployment", undefined, "spec.template.spec.containers.0", "resources", "resource"],
    ["StatefulSet", "postgres", "spec", "serviceName", "servicename"],
    ["NetworkPolicy", undefined, "spec", "podSelector", "podselector"],
    ["CronJob", undefined, "spec", "schedule", "shedule"],
    ["ConfigMap", undefined, "", "data", "dat"],
  ] as const)("%s %s: %s.%s misspelt %s", async (kind, name, path, from, to) => {
    // prod, or dev for the kinds prod no longer has (its database is CloudNativePG's, not a StatefulSet).
    const overlay = rendered.prod.some((o) => o.kind === kind.split("/").at(-1)) ? "prod" : "dev";
    const objects = cloneObjects(rendered[overlay]);
    const object = findObject(objects, kind, name);
    if (path) renameField(object, path, from, to);
    else renameField({ root: object } as unknown as K8sObject, "root", from, to);
    const where = path.replace(/\.(\d+)(?=\.|$)/g, "[$1]");
    expect(await schemaProblems(objects)).toContainEqual(
      `${object.kind}/${object.metadata.name}: unknown field ${where ? `${where}.` : ""}${to}`,
    );
  });

  it("an unknown field at the top of an object, and one under metadata", async () => {
    const objects = cloneObjects(rendered.dev);
    const job = findObject(objects, "Job");
    job.sepc = job.spec;
    Object.assign(findObject(objects, "serving.knative.dev/Service", "auth").metadata, {
      lables: { a: "b" },
    });
    const problems = await schemaProblems(objects);
    expect(problems).toContainEqual(`Job/${job.metadata.name}: unknown field sepc`);
    expect(problems).toContainEqual("Service/auth: unknown field metadata.lables");
  });

  it("knows EventPolicy (Knative 1.22) and its fields", async () => {
    const policy = {
      apiVersion: "eventing.knative.dev/v1alpha1",
      kind: "EventPolicy",
      metadata: { name: "order-events", namespace: "tavola" },
      spec: {
        to: [{ ref: { apiVersion: "eventing.knative.dev/v1", kind: "Broker", name: "default" } }],
        from: [{ sub: "system:serviceaccount:tavola:order" }],
      },
    };
    expect(await schemaProblems([policy])).toEqual([]);
    const typo = structuredClone(policy) as K8sObject;
    typo.spec.form = typo.spec.from;
    delete typo.spec.from;
    expect(await schemaProblems([typo])).toEqual(["EventPolicy/order-events: unknown field spec.form"]);
  });
});

describe("CRD schemas in knative/schemas", () => {
  const crd = (kind: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: ${kind.toLowerCase()}s.example.com }
spec:
  group: example.com
  names: { kind: ${kind}, plural: ${kind.toLowerCase()}s }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            apiVersion: { type: string }
            kind: { type: string }
            metadata: { type: object }
            spec:
              type: object
              required: [size]
              properties:
                size: { type: integer }
                parameters: { type: object, additionalProperties: { type: string } }
                extra: { type: object, x-kubernetes-preserve-unknown-fields: true }
`;

  it("loads every file of the folder and refuses unknown fields, keeping the open ones open", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tavola-schemas-"));
    try {
      await writeFile(join(dir, "widgets.yaml"), crd("Widget"));
      await writeFile(join(dir, "gadgets.yaml"), crd("Gadget"));
      await writeFile(join(dir, "README.md"), "not a schema");
      const schemas = await loadCrdSchemas(dir);
      expect([...schemas.keys()].sort()).toEqual(["example.com/v1 Gadget", "example.com/v1 Widget"]);
      const widget = (spec: object) => ({
        apiVersion: "example.com/v1",
        kind: "Widget",
        metadata: { name: "w" },
        spec,
      });
      expect(
        await schemaProblems([widget({ size: 1, parameters: { a: "b" }, extra: { any: 1 } })], schemas),
      ).toEqual([]);
      expect(await schemaProblems([widget({ size: "1", sise: 2 })], schemas)).toEqual([
        "Widget/w: unknown field spec.sise",
        "Widget/w: spec.size must be integer",
      ]);
      // The CRD leaves metadata open; the API server still checks it as ObjectMeta.
      const misnamed = { ...widget({ size: 1 }), metadata: { name: "w", lables: { a: "b" } } };
      expect(await schemaProblems([misnamed], schemas)).toEqual(["Widget/w: unknown field metadata.lables"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("the repository's folder loads (a CRD file there must compile)", async () => {
    await expect(loadCrdSchemas()).resolves.toBeInstanceOf(Map);
  });
});
