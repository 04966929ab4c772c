import autocannon from "autocannon";
import { type LatencySummary, summarizeLatencies } from "./stats.ts";

// Closed-loop saturation load with autocannon: a fixed number of connections, each sending its next
// request as soon as the previous one is answered, for a fixed time.

export interface LoadRequest {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  baseUrl: string;
  connections: number;
  durationSeconds: number;
  /** Called for every request sent: the request to send (another user's token, another item). */
  next: () => LoadRequest;
}

export interface LoadResult {
  /** Answered requests per second over the run (2xx and otherwise). */
  rps: number;
  latency: LatencySummary;
  requests: number;
  non2xx: number;
  errors: number;
  /** Count per status code, to see at once what a run's non-2xx answers were. */
  statuses: Record<string, number>;
}

/** Runs autocannon once and summarizes it, keeping every latency (autocannon's own are whole ms). */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: 10,
        requests: [
          {
            setupRequest: (request) => {
              const next = options.next();
              return {
                ...request,
                method: next.method,
                path: next.path,
                headers: { ...next.headers, ...(next.body ? { "content-type": "application/json" } : {}) },
                body: next.body ?? "",
              };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const non2xx = Object.entries(statuses)
          .filter(([code]) => !code.startsWith("2"))
          .reduce((sum, [, n]) => sum + n, 0);
        resolve({
          rps: latencies.length / result.duration,
          latency: summarizeLatencies(latencies),
          requests: latencies.length,
          non2xx,
          errors: result.errors,
          statuses,
        });
      },
    );
    instance.on("response", (_client, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
}
