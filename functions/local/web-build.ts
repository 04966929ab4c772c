import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";

/** What the web build reads: a change to any of them makes web/dist stale. */
const SOURCES = ["web/src", "web/index.html", "web/vite.config.ts", "client"];

/**
 * Builds the web app (Vite, a devDependency) when web/dist is missing or older than its sources, so
 * `npm start` always serves the app of the checkout it runs. Returns whether it built.
 */
export async function ensureWebBuilt(root: string, log: (line: string) => void): Promise<boolean> {
  const built = await mtime(join(root, "web/dist/index.html"));
  const newest = Math.max(...(await Promise.all(SOURCES.map((s) => newestUnder(join(root, s))))));
  if (built !== undefined && built >= newest) return false;
  log(built === undefined ? "Building the web app (web/dist)…" : "The web app changed: rebuilding web/dist…");
  const { build } = await import("vite");
  await build({ configFile: join(root, "web/vite.config.ts"), logLevel: "warn" });
  return true;
}

async function mtime(path: string): Promise<number | undefined> {
  return (await stat(path).catch(() => undefined))?.mtimeMs;
}

async function newestUnder(path: string): Promise<number> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  const times = await Promise.all(
    entries.filter((e) => e.isFile()).map(async (e) => (await mtime(join(e.parentPath, e.name))) ?? 0),
  );
  return Math.max(info.mtimeMs, ...times);
}
