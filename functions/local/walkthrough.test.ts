import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../../shared/testing/index.ts";
import { type E2eStack, startE2eStack } from "./e2e-support.ts";

// The curl walk-through of docs/api.md and the README, run as written (only the address changes) against
// the local stack on a fresh database, as a newcomer runs it after `npm start` on a fresh clone.

const run = promisify(execFile);
const t = useTestDb();
let e2e: E2eStack;
beforeAll(async () => {
  e2e = await startE2eStack(t.db);
});
afterAll(() => e2e?.close());

/** The first ```sh block after `heading` in a Markdown file. */
async function shellBlock(file: string, heading: string): Promise<string> {
  const text = await readFile(new URL(`../../${file}`, import.meta.url), "utf8");
  const from = text.indexOf(heading);
  expect(from, `${file} has "${heading}"`).toBeGreaterThanOrEqual(0);
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(from))?.[1];
  if (!block) throw new Error(`${file}: no sh block after ${heading}`);
  return block;
}

describe("the curl walk-through", () => {
  it.each([
    ["docs/api.md", "## Log in and place an order"],
    ["README.md", "log in and place an order:"],
  ])("in %s works as written", async (file, heading) => {
    const script = (await shellBlock(file, heading)).replace(
      "API=http://localhost:8080",
      `API=${e2e.baseUrl}`,
    );
    expect(script).toContain(`API=${e2e.baseUrl}`);
    // Each file registers its own user: the two runs share one database.
    const unique = script.replaceAll('"username":"ada"', `"username":"ada-${file.length}"`);
    const { stdout } = await run("bash", ["-euo", "pipefail", "-c", unique], { timeout: 30_000 });
    expect(stdout).toMatch(/"status":"placed"/);
    expect(stdout).toMatch(/"menuitem":\{"id":\d+,"title":"Bruschetta"\},"quantity":2/);
  });
});
