import pg from "pg";

// What the two PgBouncers this repository starts (the failover test's, in front of the HA pair, and the
// benchmark's) have in common: the configuration of a transaction-pooling PgBouncer with trust auth on
// 127.0.0.1, and the wait until it accepts connections.

export interface PgBouncerIniOptions {
  database: string;
  /** The server PgBouncer forwards to. */
  upstream: { host: string; port: number; user: string };
  /** The port PgBouncer listens on. */
  port: number;
  /** The directory of its files (`users.txt` is read from there). */
  dir: string;
  /** Server connections per database/user pair. */
  poolSize: number;
  maxClients: number;
  /** Further `[pgbouncer]` lines (timeouts, resets) the caller needs. */
  settings?: readonly string[];
}

/** The text of a `pgbouncer.ini`. */
export function pgbouncerIni(options: PgBouncerIniOptions): string {
  const { database, upstream } = options;
  return [
    "[databases]",
    `${database} = host=${upstream.host} port=${upstream.port} dbname=${database} user=${upstream.user}`,
    "[pgbouncer]",
    "listen_addr = 127.0.0.1",
    `listen_port = ${options.port}`,
    "unix_socket_dir =",
    "auth_type = trust",
    `auth_file = ${options.dir}/users.txt`,
    "pool_mode = transaction",
    `default_pool_size = ${options.poolSize}`,
    `max_client_conn = ${options.maxClients}`,
    ...(options.settings ?? []),
    // node-postgres sends these at startup; PgBouncer must not refuse the connection over them.
    "ignore_startup_parameters = extra_float_digits,options,application_name",
    "log_connections = 0",
    "log_disconnections = 0",
    "",
  ].join("\n");
}

/**
 * Polls `url` until PgBouncer answers a query. Throws (with `stderr()`) once the process has exited or
 * after `attempts` polls 50 ms apart.
 */
export async function waitForPgBouncer(
  url: string,
  process: { exitCode: number | null },
  stderr: () => string,
  attempts: number,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    if (process.exitCode !== null) throw new Error(`pgbouncer exited: ${stderr().slice(0, 2_000)}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query("select 1");
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => {});
      if (attempt >= attempts) {
        throw new Error(`pgbouncer did not accept connections: ${(error as Error).message} ${stderr()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
