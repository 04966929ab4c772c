import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { copyWebAssets } from "./copy-assets.ts";

const dirs: string[] = [];
const temp = async () => {
  const dir = await mkdtemp(join(tmpdir(), "tavola-web-assets-"));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("the web-assets program", () => {
  it("copies index.html and the hashed assets into the target", async () => {
    const from = await temp();
    const to = await temp();
    await mkdir(join(from, "assets"));
    await writeFile(join(from, "index.html"), "<!doctype html>");
    await writeFile(join(from, "assets", "index-x1.js"), "1");
    expect(await copyWebAssets(from, to)).toBe(2);
    expect(await readFile(join(to, "assets", "index-x1.js"), "utf8")).toBe("1");
    expect(await readFile(join(to, "index.html"), "utf8")).toBe("<!doctype html>");
  });

  it("refuses a source with no built app and a target that is not a directory", async () => {
    const empty = await temp();
    await expect(copyWebAssets(empty, await temp())).rejects.toThrow(/index.html is missing/);
    const from = await temp();
    await writeFile(join(from, "index.html"), "x");
    await expect(copyWebAssets(from, join(from, "nowhere"))).rejects.toThrow(/not a directory/);
  });
});
