import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway } from "./gateway.ts";
import { createWebSite, WEB_CACHE } from "./web-site.ts";

// The web app beside the API under `npm start`: the page revalidated, hashed assets cached for a year,
// nothing outside the built directory, and API paths still routed to the functions.

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tavola-web-"));
  await mkdir(join(dir, "assets"));
  await writeFile(join(dir, "index.html"), "<!doctype html><title>Tavola</title>");
  await writeFile(join(dir, "assets", "index-AbC123.js"), "console.log(1)");
  await writeFile(join(dir, "secret.txt"), "not served");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the web app at /", () => {
  const gateway = () =>
    createGateway(
      [{ prefix: "/api/orders", target: "order" }],
      { order: () => Response.json({ api: true }) },
      undefined,
      createWebSite(dir),
    );
  const get = (path: string, method = "GET") => gateway()(new Request(`http://localhost${path}`, { method }));

  it("serves index.html at / with no-cache, and hashed assets as immutable", async () => {
    for (const path of ["/", "/index.html"]) {
      const page = await get(path);
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(page.headers.get("cache-control")).toBe(WEB_CACHE.page);
      expect(await page.text()).toContain("<title>Tavola</title>");
    }
    const asset = await get("/assets/index-AbC123.js");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await asset.text()).toBe("console.log(1)");
  });

  it("answers 404 for a missing asset or one outside assets/, and 405 for another method", async () => {
    expect((await get("/assets/missing.js")).status).toBe(404);
    expect((await get("/assets/..%2Fsecret.txt")).status).toBe(404);
    expect((await get("/assets/.hidden")).status).toBe(404);
    expect((await get("/secret.txt")).status).toBe(404);
    const post = await get("/", "POST");
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("leaves API paths to the functions", async () => {
    expect(await (await get("/api/orders")).json()).toEqual({ api: true });
  });

  it("says how to build the app when it is not built", async () => {
    const empty = await mkdtemp(join(tmpdir(), "tavola-web-empty-"));
    try {
      const page = await createWebSite(empty)(new Request("http://localhost/"));
      expect(page.status).toBe(404);
      expect(((await page.json()) as { detail: string }).detail).toContain("npm run build:web");
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
