import { appendFile, rm } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { PG_BIN, postgresDir, runAsPostgres, sleep } from "./processes.ts";

// A primary and a streaming standby on this machine, as CloudNativePG runs them in a cluster: the standby
// cloned with pg_basebackup -R, replication synchronous (a commit returns once the standby has flushed
// it, as `synchronous: {method: any, number: 1}` with one replica), the primary lost with an immediate
// stop (no shutdown checkpoint, as when its node goes) and the standby promoted.

export interface Server {
  name: string;
  port: number;
  dataDir: string;
  url(database: string): string;
}

export const ctl = (server: Server, ...args: string[]) =>
  runAsPostgres(join(PG_BIN, "pg_ctl"), ["-D", server.dataDir, "-l", join(server.dataDir, "log"), ...args]);

async function settings(server: Server, lines: string[]) {
  await appendFile(join(server.dataDir, "postgresql.conf"), `\n${lines.join("\n")}\n`);
}

export function serverAt(name: string, port: number, dataDir: string): Server {
  return { name, port, dataDir, url: (database) => `postgres://postgres@127.0.0.1:${port}/${database}` };
}

/** One SQL statement on a server, as the superuser, on a connection of its own. */
export async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

/**
 * initdb and start a primary that streams to standbys (trust auth, loopback only); with `archiveDir`, it
 * also archives every completed WAL segment there, as the Barman Cloud plugin archives to the bucket.
 */
export async function startPrimary(port: number, archiveDir?: string): Promise<Server> {
  const server = serverAt("primary", port, await postgresDir("tavola-ha-primary-"));
  await runAsPostgres(join(PG_BIN, "initdb"), [
    "-D",
    server.dataDir,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
  ]);
  await settings(server, [
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${server.dataDir}'`,
    "wal_level = replica",
    "max_wal_senders = 5",
    "max_connections = 60",
    "fsync = on",
    ...(archiveDir
      ? ["archive_mode = on", `archive_command = 'test ! -f ${archiveDir}/%f && cp %p ${archiveDir}/%f'`]
      : []),
  ]);
  await ctl(server, "-w", "start");
  return server;
}

/** Clones `primary` into a standby (pg_basebackup -R) on `port` and starts it streaming. */
export async function startStandby(primary: Server, port: number): Promise<Server> {
  const server = serverAt("standby", port, await postgresDir("tavola-ha-standby-"));
  await runAsPostgres(join(PG_BIN, "pg_basebackup"), [
    ...["-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres"],
    ...["-D", server.dataDir, "-R", "-X", "stream", "-c", "fast"],
  ]);
  // -R wrote primary_conninfo; this one (read last) adds the name synchronous_standby_names matches.
  await appendFile(
    join(server.dataDir, "postgresql.auto.conf"),
    `\nprimary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres application_name=standby'\n`,
  );
  await settings(server, [`port = ${port}`, `unix_socket_directories = '${server.dataDir}'`]);
  await ctl(server, "-w", "start");
  return server;
}

/** Makes every commit on the primary wait for the standby's flush, once the standby streams. */
export async function makeSynchronous(primary: Server): Promise<void> {
  await query(primary.url("postgres"), "alter system set synchronous_standby_names = 'ANY 1 (standby)'");
  await query(primary.url("postgres"), "select pg_reload_conf()");
  for (let attempt = 0; attempt < 200; attempt++) {
    const rows = await query<{ sync_state: string }>(
      primary.url("postgres"),
      "select sync_state from pg_stat_replication where application_name = 'standby'",
    );
    if (rows[0]?.sync_state === "quorum" || rows[0]?.sync_state === "sync") return;
    await sleep(50);
  }
  throw new Error("the standby never became synchronous");
}

/** The primary's node is lost: an immediate stop, no checkpoint, every connection cut. */
export async function losePrimary(primary: Server): Promise<void> {
  await ctl(primary, "-m", "immediate", "stop");
}

/** Promotes the standby and waits until it accepts writes. */
export async function promote(standby: Server): Promise<void> {
  await ctl(standby, "-w", "promote");
  const [row] = await query<{ standby: boolean }>(
    standby.url("postgres"),
    "select pg_is_in_recovery() as standby",
  );
  if (row?.standby !== false) throw new Error("the promoted server is still in recovery");
}

/** Stops a server if it runs and removes its data directory. */
export async function removeServer(server: Server): Promise<void> {
  await ctl(server, "-m", "immediate", "stop").catch(() => {});
  await rm(server.dataDir, { recursive: true, force: true });
}
