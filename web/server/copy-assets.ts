// The image's `web-assets` program: copies the built web app (the image's /app/web) into a directory
// given as its argument. The gateway's pods run it as an initContainer from the Tavola image into an
// emptyDir that their nginx serves, so the app and the API always come from the same image.

import { cp, readdir, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Copies every file of `from` (index.html and assets/) into `to`, which must exist; returns the count. */
export async function copyWebAssets(from: string, to: string): Promise<number> {
  if (!(await stat(join(from, "index.html")).catch(() => undefined))?.isFile())
    throw new Error(`no built web app in ${from} (index.html is missing)`);
  if (!(await stat(to).catch(() => undefined))?.isDirectory())
    throw new Error(`the target ${to} is not a directory (mount the emptyDir there)`);
  await cp(from, to, { recursive: true, force: true, errorOnExist: false });
  const files = await readdir(to, { recursive: true, withFileTypes: true });
  return files.filter((f) => f.isFile()).length;
}

/** The program: `web-assets <target>` (the launcher passes the name first, so the target is next). */
async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== "web-assets");
  const target = args[0];
  if (!target) {
    process.stderr.write("usage: web-assets <target directory>\n");
    process.exit(64);
  }
  // Bundled as /app/dist/web-assets.mjs; the Dockerfile puts the built app in /app/web.
  const from = resolve(dirname(fileURLToPath(import.meta.url)), "..", "web");
  const count = await copyWebAssets(from, resolve(target));
  process.stdout.write(
    `${JSON.stringify({ level: "info", msg: "web assets copied", files: count, to: target })}\n`,
  );
}

if (process.env.FUNCTION === "web-assets" || process.argv.includes("web-assets")) await main();
