import { type ServerType, serve } from "@hono/node-server";
import type { Logger } from "../log.ts";

export interface ServeOptions {
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
  port: number;
  hostname?: string;
  logger: Logger;
  /** Runs after the server stopped taking requests and finished the open ones (close pools here). */
  onShutdown?: () => Promise<void>;
  /** How long open requests get to finish after SIGTERM before the process exits anyway. */
  drainMs?: number;
}

/**
 * Serves on a port and stops cleanly on SIGTERM or SIGINT: no new connections, open requests finish
 * (Knative gives a pod its termination grace period), then `onShutdown`, then exit 0.
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
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      options.logger.info("shutting down", { signal });
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
