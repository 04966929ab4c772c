import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rememberLocalAdmin } from "./admin-credentials.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function dataDir() {
  const d = await mkdtemp(join(tmpdir(), "tavola-admin-"));
  dirs.push(d);
  return d;
}

describe("the admin line npm start prints", () => {
  it("shows a generated password and shows it again on the next start of the same embedded database", async () => {
    const DATA_DIR = await dataDir();
    const first = await rememberLocalAdmin(
      { DATA_DIR },
      { adminUsername: "admin", adminPassword: "s3cret-pw", menuSeeded: true },
    );
    expect(first).toBe("Admin user: admin / s3cret-pw");
    expect((await stat(join(DATA_DIR, "admin-credentials"))).mode & 0o777).toBe(0o600);
    const again = await rememberLocalAdmin(
      { DATA_DIR },
      { adminUsername: "admin", adminPassword: undefined, menuSeeded: false },
    );
    expect(again).toBe("Admin user: admin / s3cret-pw");
  });

  it("never writes a password set by ADMIN_PASSWORD or one for a server database", async () => {
    const DATA_DIR = await dataDir();
    const seeded = { adminUsername: "admin", adminPassword: "given-pw", menuSeeded: true };
    await rememberLocalAdmin({ DATA_DIR, ADMIN_PASSWORD: "given-pw" }, seeded);
    await rememberLocalAdmin({ DATA_DIR, DATABASE_URL: "postgres://x@127.0.0.1/db" }, seeded);
    await expect(readFile(join(DATA_DIR, "admin-credentials"))).rejects.toThrow(/ENOENT/);
    const later = await rememberLocalAdmin(
      { DATA_DIR },
      { adminUsername: "admin", adminPassword: undefined, menuSeeded: false },
    );
    expect(later).toMatch(/exists already/);
  });
});
