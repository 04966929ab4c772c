import { type ServerType, serve } from "@hono/node-server";
import type { Logger } from "../log.ts";

export interface ServeOptions {
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
  port: number;
  hostname?: string;
  logger: Logger;
  /**
   * Runs first on SIGTERM or SIGINT, before the server stops taking requests: ends what never finishes
   * by itself (live streams), so the drain waits only for normal requests.
   */
  onSignal?: () => void;
  /** Runs after the server stopped taking requests and finished the open ones (close pools here). */
  onShutdown?: () => Promise<void>;
  /** How long open requests get to finish after SIGTERM before the process exits anyway. */
  drainMs?: number;
}

/**
 * Serves on a port and stops cleanly on SIGTERM or SIGINT: `onSignal` (live streams end), no new
 * connections, open requests finish (Knative gives a pod its termination grace period), then
 * `onShutdown`, then exit 0. Past `drainMs` it exits 1 anyway.
 */
export function serveUntilSignalled(options: ServeOptions): Promise<ServerType> {
  return new Promise((resolve) => {
    const server = serve(
      { fetch: options.fetch, port: options.port, hostname: options.hostname ?? "0.0.0.0" },
      (info) => {
        options.logger.info("listening", { port: info.port });
        resolve(server);
      },
    );
    // A port already taken is a mistake of set-up, not a crash: one line that says what to do.
    server.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EADDRINUSE" && error.code !== "EACCES") throw error;
      const why = error.code === "EADDRINUSE" ? "is already in use" : "may not be opened by this user";
      process.stderr.write(
        `Port ${options.port} ${why} (is Tavola already running?). ` +
          `Stop what listens there, or choose another port: PORT=${options.port + 1} npm start\n`,
      );
      process.exit(1);
    });
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      options.logger.info("shutting down", { signal });
      options.onSignal?.();
      const force = setTimeout(() => process.exit(1), options.drainMs ?? 10_000);
      force.unref();
      server.close(async () => {
        try {
          await options.onShutdown?.();
        } finally {
          clearTimeout(force);
          process.exit(0);
        }
      });
      (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
}
