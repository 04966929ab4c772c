import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pgbouncerIni, waitForPgBouncer } from "../../db/ha/pgbouncer-ini.ts";
import { stopChild, track } from "./process.ts";

// The harness's own PgBouncer (Debian's package), in transaction pooling mode, in front of the bench
// database, on a port of the harness's range, with a generated configuration.

export interface PgBouncer {
  /** DATABASE_URL through PgBouncer. */
  url: string;
  stop(): Promise<void>;
}

/** The pgbouncer binary, or undefined when it is not installed. */
export function findPgBouncer(): string | undefined {
  for (const candidate of ["pgbouncer", "/usr/sbin/pgbouncer"]) {
    const probe = spawnSync(candidate, ["--version"], { encoding: "utf8" });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

/**
 * The pgbouncer binary. Only when `install` (the bench's `--install-pgbouncer`) and it is missing and this
 * process may (root, with apt-get), Debian's package is installed first: the bench never installs system
 * packages unasked. Undefined when it is not there.
 */
export function ensurePgBouncer(log: (message: string) => void, allowed: boolean): string | undefined {
  const found = findPgBouncer();
  if (found || !allowed || process.getuid?.() !== 0 || spawnSync("apt-get", ["--version"]).status !== 0)
    return found;
  const install = () =>
    spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "pgbouncer"], {
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      encoding: "utf8",
      timeout: 180_000,
    }).status === 0;
  log("pgbouncer is not installed: installing Debian's package (apt-get install pgbouncer)");
  if (!install()) {
    spawnSync("apt-get", ["update"], { encoding: "utf8", timeout: 180_000 });
    install();
  }
  return findPgBouncer();
}

export interface PgBouncerOptions {
  binary: string;
  database: string;
  /** The server PgBouncer forwards to. */
  upstream: { host: string; port: number; user: string };
  port: number;
  /** Server connections per database/user pair: as many as the function's own pool could want. */
  poolSize: number;
}

export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncer> {
  const dir = await mkdtemp(join(tmpdir(), "tavola-pgbouncer-"));
  // PgBouncer refuses to run as root; it then drops to the user given with -u, who must read these.
  await chmod(dir, 0o755);
  const ini = pgbouncerIni({
    database: options.database,
    upstream: options.upstream,
    port: options.port,
    dir,
    poolSize: options.poolSize,
    maxClients: 500,
    settings: ["server_reset_query ="],
  });
  await writeFile(join(dir, "pgbouncer.ini"), ini, { mode: 0o644 });
  await writeFile(join(dir, "users.txt"), `"${options.upstream.user}" ""\n`, { mode: 0o644 });
  const asRoot = process.getuid?.() === 0;
  const args = [...(asRoot ? ["-u", "postgres"] : []), join(dir, "pgbouncer.ini")];
  const child: ChildProcess = track(spawn(options.binary, args, { stdio: ["ignore", "ignore", "pipe"] }));
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = `postgres://${options.upstream.user}@127.0.0.1:${options.port}/${options.database}`;
  const cleanup = async () => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPgBouncer(url, child, () => stderr, 100);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { url, stop: cleanup };
}
