import { describe, expect, it } from "vitest";
import { authConfigSchema, baseConfigSchema } from "../shared/config/schema.ts";
import { FUNCTION_NAMES } from "../shared/names.ts";
import {
  containerEnv,
  envProblems,
  imageProblem,
  imageProblems,
  nodeOptionsProblem,
  programConfig,
} from "./checks/config-env.ts";
import {
  cloneObjects,
  credentialsTemplate,
  findObject,
  type K8sObject,
  OVERLAYS,
  renderAll,
} from "./checks/render.ts";

// Each Tavola container gets exactly what its program reads (shared/config/schema.ts), with the
// cluster's essentials and only values the schema accepts; all of them run the one image.

const rendered = await renderAll();
const template = await credentialsTemplate();

function broken(mutate: (objects: K8sObject[], outOfBand: K8sObject[]) => void): string[] {
  const objects = cloneObjects(rendered.dev);
  const outOfBand = cloneObjects(template);
  mutate(objects, outOfBand);
  return [...envProblems(objects, outOfBand), ...imageProblems(objects)];
}
const container = (objects: K8sObject[], name: string) =>
  findObject(objects, "serving.knative.dev/Service", name).spec.template.spec.containers[0];

describe("environment and image", () => {
  it.each(OVERLAYS)("every container of the %s overlay gets what its program reads", (overlay) => {
    expect(envProblems(rendered[overlay], template)).toEqual([]);
    expect(imageProblems(rendered[overlay])).toEqual([]);
  });

  it("reads each program's names from the zod schemas themselves", () => {
    expect(programConfig("menu").schema).toBe(baseConfigSchema);
    expect(programConfig("auth").schema).toBe(authConfigSchema);
    expect(programConfig("auth").required).toContain("JWT_PRIVATE_KEY");
  });

  it("reports a name no program reads, and an auth-only setting given to another function", () => {
    const problems = broken((o) => {
      container(o, "cart").env.push({ name: "DB_POOL_SIZE", value: "5" });
      container(o, "order").envFrom.push({ configMapRef: { name: "tavola-auth-config" } });
    });
    expect(problems).toContain("Service/cart: sets DB_POOL_SIZE, which cart does not read");
    expect(problems).toContain("Service/order: sets ACCESS_TOKEN_TTL_SECONDS, which order does not read");
  });

  it("gives every function NODE_OPTIONS that Node takes, and reports a flag it would refuse", () => {
    for (const overlay of OVERLAYS)
      for (const fn of FUNCTION_NAMES) {
        const env = containerEnv(container(rendered[overlay], fn), [...rendered[overlay], ...template]);
        expect(env.values.NODE_OPTIONS).toMatch(/--max-semi-space-size=\d+/);
      }
    expect(nodeOptionsProblem("--max-semi-space-size=8 --enable-source-maps")).toBeUndefined();
    const problems = broken((o) => {
      container(o, "menu").env.push({
        name: "NODE_OPTIONS",
        value: "--max-semi-space-size=8 --allow-natives-syntax",
      });
    });
    expect(problems).toEqual([
      "Service/menu: NODE_OPTIONS has --allow-natives-syntax, which Node does not take there",
    ]);
  });

  it("reports a missing essential: the database URL, the public key", () => {
    const problems = broken((o) => {
      const menu = container(o, "menu");
      menu.envFrom = menu.envFrom.filter((f: { secretRef?: unknown }) => !f.secretRef);
      const delivery = container(o, "delivery");
      delivery.envFrom = delivery.envFrom.filter(
        (f: { configMapRef?: { name: string } }) => f.configMapRef?.name !== "tavola-jwt-public-key",
      );
    });
    expect([...problems].sort()).toEqual([
      "Service/delivery: JWT_PUBLIC_KEY is not set (required in the cluster)",
      "Service/menu: DATABASE_URL is not set (required in the cluster)",
    ]);
  });

  it("reports a value the schema refuses, wherever it is set", () => {
    const problems = broken((o, outOfBand) => {
      findObject(o, "ConfigMap", "tavola-config").data.LOG_LEVEL = "verbose";
      findObject(outOfBand, "Secret", "tavola-migrate").stringData.ADMIN_PASSWORD = "short";
    });
    expect(problems.filter((p) => p.includes("LOG_LEVEL"))).toHaveLength(5);
    expect(problems).toContainEqual(expect.stringMatching(/^Job\/migrate: ADMIN_PASSWORD/));
  });

  it("reports K_SINK set by hand (the SinkBinding owns it) and a FUNCTION that is not the Service's", () => {
    const problems = broken((o) => {
      container(o, "cart").env.push({ name: "K_SINK", value: "http://broker" });
      container(o, "order").env[0].value = "delivery";
      findObject(o, "Job", "migrate").spec.template.spec.containers[0].env[0].value = "seed";
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        "Service/cart: sets K_SINK; the SinkBinding sets it",
        "Service/order: runs FUNCTION=delivery, not its own function",
        "Job/migrate: FUNCTION=seed is not a program of the image",
        "nothing runs FUNCTION=migrate",
        "nothing runs FUNCTION=order",
      ]),
    );
  });

  it("reports a second image, a bare name, and :latest", () => {
    const problems = broken((o) => {
      container(o, "menu").image = "tavola:latest";
    });
    expect(problems).toContainEqual(expect.stringMatching(/the programs run 2 images, not one/));
    expect(problems).toContain("tavola:latest names no registry or repository");
    expect(problems).toContain("Service/menu: tavola:latest uses :latest");
    expect(imageProblem("registry.example.com/tavola")).toBe(
      "registry.example.com/tavola has no tag or digest",
    );
    expect(imageProblem("registry.example.com:5000/tavola@sha256:abc")).toBeUndefined();
  });
});
