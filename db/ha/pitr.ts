import { appendFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ctl, query, type Server, serverAt } from "./postgres-pair.ts";
import { PG_BIN, postgresDir, runAsPostgres, sleep } from "./processes.ts";

// Point-in-time recovery as CloudNativePG does it from the bucket (knative/restore/): a base backup taken
// earlier, the archived WAL replayed on top of it up to a target time, then promoted. Here the "bucket" is
// a directory the primary archives to.

/** A base backup of `server` (plain format, WAL included) into a new directory. */
export async function baseBackup(server: Server): Promise<string> {
  const dir = await postgresDir("tavola-ha-base-");
  await runAsPostgres(join(PG_BIN, "pg_basebackup"), [
    ...["-h", "127.0.0.1", "-p", String(server.port), "-U", "postgres"],
    ...["-D", dir, "-X", "stream", "-c", "fast"],
  ]);
  return dir;
}

/**
 * Starts a server from `backupDir` on `port` that replays the WAL of `archiveDir` up to `targetTime`
 * (recovery_target_time) and is then promoted; waits until it is promoted.
 */
export async function restoreToTime(options: {
  backupDir: string;
  archiveDir: string;
  targetTime: string;
  port: number;
}): Promise<Server> {
  const server = serverAt("restored", options.port, options.backupDir);
  await appendFile(
    join(server.dataDir, "postgresql.conf"),
    [
      "",
      `port = ${options.port}`,
      `unix_socket_directories = '${server.dataDir}'`,
      "archive_mode = off",
      `restore_command = 'cp ${options.archiveDir}/%f %p'`,
      `recovery_target_time = '${options.targetTime}'`,
      "recovery_target_action = 'promote'",
      "",
    ].join("\n"),
  );
  await writeFile(join(server.dataDir, "recovery.signal"), "");
  await ctl(server, "-w", "-t", "120", "start");
  // It accepts (read-only) connections while it replays; done once it has reached the target and promoted.
  for (let attempt = 0; attempt < 2_400; attempt++) {
    const [row] = await query<{ standby: boolean }>(
      server.url("postgres"),
      "select pg_is_in_recovery() as standby",
    );
    if (row?.standby === false) return server;
    await sleep(50);
  }
  throw new Error(`the restored server never finished recovery (see ${join(server.dataDir, "log")})`);
}
