import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../../shared/testing/index.ts";
import { OPENAPI_FILE } from "../generated-files.ts";
import { type E2eStack, startE2eStack } from "./e2e-support.ts";

const t = useTestDb();
let e2e: E2eStack;
beforeAll(async () => {
  e2e = await startE2eStack(t.db);
});
afterAll(() => e2e.close());

describe("the gateway's /openapi.json and /docs under npm start", () => {
  it("serves the merged document, the same one the cluster's gateway serves", async () => {
    const res = await fetch(`${e2e.baseUrl}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const served = await res.json();
    expect(served).toEqual(JSON.parse(await readFile(OPENAPI_FILE, "utf8")));
  });

  it("serves a docs page whose every asset comes from Tavola itself (no CDN)", async () => {
    for (const path of ["/docs", "/docs/"]) {
      const res = await fetch(`${e2e.baseUrl}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('fetch("/openapi.json")');
      expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
  });

  it("answers another method with 405 and Allow", async () => {
    const res = await fetch(`${e2e.baseUrl}/openapi.json`, { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD");
  });
});
