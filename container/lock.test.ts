import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// container/lock.sh: `npm ci --dry-run` with the Dockerfile's npm (11.19.0) accepts the committed lock
// and refuses one that lacks a package entry, as the Dockerfile's `npm ci` would.

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "..");
const lockCheck = (dir: string) =>
  run("bash", [join(root, "container", "lock.sh"), dir], { timeout: 120_000 });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tavola-lock-"));
  for (const file of ["package.json", "package-lock.json", ".npmrc"])
    await copyFile(join(root, file), join(dir, file));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("container/lock.sh", () => {
  it("accepts the committed lock", async () => {
    const { stdout } = await lockCheck(dir);
    expect(stdout).toContain("installs with npm 11.19.0");
  }, 120_000);

  it("refuses a lock without one of biome's platform packages (the failure the Dockerfile met)", async () => {
    const lock = JSON.parse(await readFile(join(dir, "package-lock.json"), "utf8"));
    const entry = "node_modules/@biomejs/cli-darwin-arm64";
    expect(lock.packages).toHaveProperty([entry]);
    delete lock.packages[entry];
    await writeFile(join(dir, "package-lock.json"), JSON.stringify(lock, null, 2));
    const error = await lockCheck(dir).then(
      () => undefined,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(error?.code).not.toBe(0);
    expect(error?.stderr).toMatch(/@biomejs\/cli-darwin-arm64/);
  }, 120_000);
});
