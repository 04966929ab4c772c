import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { docOf } from "../shared/openapi/meta.ts";
import { assembleTest } from "../shared/testing/event-fixtures.ts";
import { useTestDb } from "../shared/testing/index.ts";
import { generatedFiles } from "./generated-files.ts";
import { FUNCTIONS } from "./registry.ts";

const t = useTestDb();

/** Routes every function serves that are not part of the public API. */
const INTERNAL = /^\/(events|healthz|readyz|metrics|openapi\.json)(\/|$)/;

describe("generated files", () => {
  it("are checked in as `npm run generate` writes them (run it after changing a route or a schema)", async () => {
    for (const file of await generatedFiles()) {
      const checkedIn = await readFile(file.path, "utf8").catch(() => "(missing)");
      expect(checkedIn, `${file.path} is stale: run npm run generate`).toBe(file.text);
    }
    // The gateway's ConfigMap holds it; kubectl apply keeps a copy in a 256 KiB annotation.
    const configMapBytes = (await generatedFiles()).find((f) => f.path.endsWith("openapi.json"))!.text.length;
    expect(configMapBytes).toBeLessThan(160 * 1024);
  });

  it("every public route of every function carries a description, so none is missing from the document", async () => {
    for (const definition of FUNCTIONS) {
      const app = await assembleTest(definition, t.db);
      const described = new Set(
        app.routes.filter((r) => docOf(r.handler)?.summary).map((r) => `${r.method} ${r.path}`),
      );
      const undocumented = app.routes
        .filter((r) => r.method !== "ALL" && !r.path.endsWith("*") && !INTERNAL.test(r.path))
        .map((r) => `${r.method} ${r.path}`)
        .filter((route) => !described.has(route));
      expect(undocumented, definition.name).toEqual([]);
    }
  });

  it("each function serves its own document at /openapi.json, built on the first request", async () => {
    const menu = FUNCTIONS.find((f) => f.name === "menu")!;
    const app = await assembleTest(menu, t.db);
    const first = await app.request("/openapi.json");
    expect(first.status).toBe(200);
    const doc = (await first.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/menu-items",
        "/api/menu-items/{id}",
        "/api/categories",
        "/api/dead-letters/menu",
      ]),
    );
    expect(Object.keys(doc.paths).some((p) => p.startsWith("/api/orders"))).toBe(false);
    expect(await (await app.request("/openapi.json")).text()).toBe(JSON.stringify(doc));
  });
});
