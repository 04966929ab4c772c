import { describe, expect, it } from "vitest";
import { knativeServices, tavolaContainers } from "../knative/checks/pods.ts";
import { renderOverlay } from "../knative/checks/render.ts";
import { podmanRunArgs, quantityBytes, quantityCpus } from "./knative-run.ts";

const prod = await renderOverlay("prod");
const options = { name: "c", image: "localhost/tavola:ci" };

/** The value that follows `flag` in `args` (every one, for flags given more than once). */
const valuesOf = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));

describe("podman run flags as Knative would run the container", () => {
  it("reads Kubernetes quantities", () => {
    expect(quantityBytes("256Mi")).toBe(268_435_456);
    expect(quantityBytes("1Gi")).toBe(2 ** 30);
    expect(quantityBytes("300M")).toBe(300_000_000);
    expect(quantityBytes("1024")).toBe(1024);
    expect(() => quantityBytes("lots")).toThrow(/not a memory quantity/);
    expect(quantityCpus("250m")).toBe(0.25);
    expect(quantityCpus("2")).toBe(2);
  });

  it("gives a function's container its limits, read-only root, no capabilities and its environment", () => {
    const cart = knativeServices(prod).get("cart")!;
    const spec = cart.spec.template.spec;
    const args = podmanRunArgs(spec.containers[0], spec, { FUNCTION: "cart", PORT: "8080" }, options);
    const memory = String(quantityBytes(spec.containers[0].resources.limits.memory));
    expect(valuesOf(args, "--memory")).toEqual([memory]);
    expect(valuesOf(args, "--memory-swap")).toEqual([memory]);
    expect(args).toContain("--read-only");
    expect(args).toContain("--read-only-tmpfs=false");
    expect(valuesOf(args, "--cap-drop")).toEqual(["ALL"]);
    expect(valuesOf(args, "--security-opt")).toEqual(["no-new-privileges"]);
    expect(valuesOf(args, "--env")).toEqual(["FUNCTION=cart", "PORT=8080"]);
    expect(args.at(-1)).toBe("localhost/tavola:ci");
  });

  it("takes the user from the pod's securityContext (the migrate Job)", () => {
    const migrate = tavolaContainers(prod).find((c) => c.function === "migrate")!;
    const args = podmanRunArgs(migrate.container, migrate.spec, {}, options);
    expect(valuesOf(args, "--user")).toEqual(["65532:65532"]);
    expect(args).toContain("--read-only");
  });

  it("leaves out what the manifest does not ask for", () => {
    const args = podmanRunArgs({ name: "x" }, {}, {}, options);
    for (const flag of ["--memory", "--cpus", "--read-only", "--cap-drop", "--security-opt", "--user"])
      expect(args).not.toContain(flag);
  });
});
