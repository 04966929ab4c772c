import { describe, expect, it } from "vitest";
import { cloneObjects, findObject, OVERLAYS, renderAll } from "./checks/render.ts";
import { schemaProblems } from "./checks/schemas.ts";

// Every rendered object validates against the OpenAPI schema of its kind, Knative's and Kubernetes' own.

const rendered = await renderAll();

describe("schema validation (kubernetes-models, @kubernetes-models/knative)", () => {
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
