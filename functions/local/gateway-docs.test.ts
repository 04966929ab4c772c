import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../../shared/testing/index.ts";
import { OPENAPI_FILE } from "../generated-files.ts";
import { type E2eStack, httpClient, startE2eStack } from "./e2e-support.ts";

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

describe("HTTP manners through the gateway (answers held to the document)", () => {
  it("a wrong method on a known path is 405 with Allow; OPTIONS lists the methods", async () => {
    const client = httpClient(e2e.baseUrl);
    const res = await client.request("PUT", "/api/menu-items/");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, POST, OPTIONS");
    const options = await fetch(`${e2e.baseUrl}/api/categories/1`, { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, HEAD, PUT, PATCH, DELETE, OPTIONS");
  });

  it("DRF's api-token-auth gives a token that works as Token and as Bearer", async () => {
    const client = httpClient(e2e.baseUrl);
    const login = await client.request("POST", "/api-token-auth/", { form: e2e.admin });
    expect(login.status).toBe(200);
    for (const scheme of ["Token", "Bearer"] as const) {
      const me = await client.request("GET", "/api/users/me", { token: login.body.token, scheme });
      expect(me.body).toMatchObject({ username: e2e.admin.username });
    }
  });
});
