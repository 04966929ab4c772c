import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../shared/testing/free-port.ts";
import { spawnNpmStart } from "../../shared/testing/npm-start.ts";
import { waitForOutput } from "../../shared/testing/process-output.ts";
import { createTestDb, type TestDb } from "../../shared/testing/test-db.ts";

// `npm start` itself, as a process: it starts on a fresh DATA_DIR, migrates and seeds, prints the admin's
// credentials, serves the seeded menu, lets the admin log in with the printed password, and exits 0 on
// SIGTERM. On a server run it gets a fresh database of its own (never the one DATABASE_URL names).

let child: ChildProcess | undefined;
let dataDir: string | undefined;
let testDb: TestDb | undefined;

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill("SIGKILL");
    await once(child, "exit");
  }
  await testDb?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("npm start", () => {
  it("starts, seeds, prints the admin's credentials, serves, and stops cleanly on SIGTERM", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "tavola-npm-start-"));
    if (process.env.DATABASE_URL) testDb = await createTestDb();
    const port = await freePort();
    child = spawnNpmStart(port, dataDir, testDb?.url ? { DATABASE_URL: testDb.url } : {});

    const output = await waitForOutput(child, /Tavola is running[^\n]*\n[^\n]*\n/, 60_000);
    expect(output).toContain(`Tavola is running on http://localhost:${port}`);
    const credentials = /Admin user: (\S+) \/ (\S+)$/m.exec(output);
    expect(credentials).not.toBeNull();
    const [, username, password] = credentials!;
    expect(username).toBe("admin");

    const base = `http://127.0.0.1:${port}`;
    const menu = await fetch(`${base}/api/menu-items?perpage=100`);
    expect(menu.status).toBe(200);
    const page = (await menu.json()) as { count: number; results: unknown[] };
    expect(page.count).toBe(20);
    expect(page.results).toHaveLength(20);

    const login = await fetch(`${base}/api/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
    expect(login.status).toBe(200);
    const { access } = (await login.json()) as { access: string };
    const me = await fetch(`${base}/api/users/me`, { headers: { authorization: `Bearer ${access}` } });
    expect(await me.json()).toMatchObject({ username: "admin", groups: ["manager"] });

    // The docs, and CORS for a browser page on another origin (npm start allows any).
    expect(output).toContain(`API docs: http://localhost:${port}/docs`);
    expect((await fetch(`${base}/docs`)).status).toBe(200);
    expect((await fetch(`${base}/openapi.json`)).status).toBe(200);
    const cors = await fetch(`${base}/api/menu-items`, { headers: { origin: "http://front.example" } });
    expect(cors.headers.get("access-control-allow-origin")).toBe("*");

    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const [code] = await Promise.race([
      exited,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no exit after SIGTERM")), 10_000)),
    ]);
    expect(code).toBe(0);
  }, 120_000);

  it("on a port that is taken, says so in one line with a hint and exits 1, with no stack trace", async () => {
    const busyDir = await mkdtemp(join(tmpdir(), "tavola-npm-start-busy-"));
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const busy = spawnNpmStart(port, busyDir);
      let stderr = "";
      busy.stderr!.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const [code] = await once(busy, "exit");
      expect(code).toBe(1);
      const lines = stderr.trim().split("\n");
      expect(lines).toEqual([expect.stringContaining(`Port ${port} is already in use`)]);
      expect(lines[0]).toContain(`PORT=${port + 1} npm start`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
      await rm(busyDir, { recursive: true, force: true });
    }
  }, 120_000);
});
