import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pgbouncerIni, waitForPgBouncer } from "./pgbouncer-ini.ts";
import { postgresDir } from "./processes.ts";

// PgBouncer in transaction mode in front of the primary, as the Pooler `pgbouncer` runs in staging and
// prod, with the Pooler's settings that matter here. Repointing it at the promoted standby (a new ini and
// SIGHUP) stands in for the read-write Service following the primary: the Pooler's PgBouncer connects to
// tavola-db-rw, whose endpoint the operator moves to the new primary.

export interface PgBouncer {
  port: number;
  url(database: string): string;
  /** Sends new server connections to `port` from now on. */
  repoint(port: number): Promise<void>;
  stop(): Promise<void>;
}

/** Debian's pgbouncer binary, installed with apt-get when missing and this process is root. */
export function pgbouncerBinary(): string {
  const find = () =>
    ["/usr/sbin/pgbouncer", "pgbouncer"].find((b) => spawnSync(b, ["--version"]).status === 0);
  const found = find();
  if (found || process.getuid?.() !== 0) {
    if (!found) throw new Error("pgbouncer is not installed (apt-get install pgbouncer)");
    return found;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "pgbouncer"], { env, timeout: 300_000 });
  const installed = find();
  if (!installed) throw new Error("pgbouncer is not installed and apt-get could not install it");
  return installed;
}

export async function startPgBouncer(options: { port: number; upstreamPort: number; database: string }) {
  const dir = await postgresDir("tavola-ha-pgbouncer-");
  const iniPath = join(dir, "pgbouncer.ini");
  const ini = (upstreamPort: number) =>
    pgbouncerIni({
      database: options.database,
      upstream: { host: "127.0.0.1", port: upstreamPort, user: "postgres" },
      port: options.port,
      dir,
      poolSize: 10,
      maxClients: 200,
      settings: [
        // As the Pooler sets it: a client waits at most 10 s for a server connection, then gets an error.
        "query_wait_timeout = 10",
        // Retry a failed server login after 1 s, not PgBouncer's default 15 s (the Pooler sets the same).
        "server_login_retry = 1",
        "server_connect_timeout = 2",
      ],
    });
  await writeFile(iniPath, ini(options.upstreamPort), { mode: 0o644 });
  await writeFile(join(dir, "users.txt"), `"postgres" ""\n`, { mode: 0o644 });
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = spawn(pgbouncerBinary(), [...(asRoot ? ["-u", "postgres"] : []), iniPath], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const url = (database: string) => `postgres://postgres@127.0.0.1:${options.port}/${database}`;
  try {
    await waitForPgBouncer(url(options.database), child, () => stderr, 200);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    port: options.port,
    url,
    async repoint(port: number) {
      await writeFile(iniPath, ini(port), { mode: 0o644 });
      child.kill("SIGHUP");
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  } satisfies PgBouncer;
}
