import { execFile } from "node:child_process";
import { chown, mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

// What the failover test needs from this machine: Debian's PostgreSQL 15 binaries and PgBouncer, run as
// the postgres user when the test runs as root (initdb and PgBouncer refuse root), on ports of the range
// this test may use.

const exec = promisify(execFile);

/** The PostgreSQL major version whose binaries the test runs (Debian's postgresql-15). */
export const PG_BIN = "/usr/lib/postgresql/15/bin";
/** The ports this test may listen on (PostgreSQL servers and PgBouncer). */
export const PORT_RANGE = { first: 5440, last: 5449 } as const;

const asRoot = process.getuid?.() === 0;

/** Runs a program as the postgres user (via runuser when this process is root); throws with its output. */
export async function runAsPostgres(program: string, args: readonly string[]): Promise<string> {
  const [file, argv] = asRoot
    ? ["runuser", ["-u", "postgres", "--", program, ...args]]
    : [program, [...args]];
  try {
    const { stdout } = await exec(file, argv, { maxBuffer: 8 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${program} ${args.join(" ")}: ${e.stderr || e.message}`);
  }
}

/** A fresh directory the postgres user owns. */
export async function postgresDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (asRoot) {
    const { stdout } = await exec("id", ["-u", "postgres"]);
    const { stdout: gid } = await exec("id", ["-g", "postgres"]);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  return dir;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** `count` free ports of PORT_RANGE, lowest first; throws when the range has too few. */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let port = PORT_RANGE.first; port <= PORT_RANGE.last && ports.length < count; port++)
    if (await portIsFree(port)) ports.push(port);
  if (ports.length < count)
    throw new Error(`fewer than ${count} free ports in ${PORT_RANGE.first}-${PORT_RANGE.last}`);
  return ports;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
