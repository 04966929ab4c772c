import { spawn } from "node:child_process";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

// An open-loop load driver: requests leave on a fixed schedule whether or not earlier ones have been
// answered, and each latency counts from the request's *scheduled* send time. A closed-loop tool
// (autocannon) waits for an answer before sending again, so a stalled server slows the sender and its
// stall is never counted (coordinated omission); here a stall shows up in full in the tail.

/** When the i-th request (0-based) of a schedule at `ratePerSecond` is due, in ms from the start. */
export function scheduledAt(index: number, ratePerSecond: number): number {
  return (index * 1000) / ratePerSecond;
}

/**
 * How many requests of the schedule are due `elapsedMs` after its start: every i with
 * scheduledAt(i) <= elapsedMs, capped at `total`.
 */
export function dueCount(elapsedMs: number, ratePerSecond: number, total: number): number {
  if (elapsedMs < 0) return 0;
  // Estimate, then settle the estimate against scheduledAt itself so that floating-point rounding
  // never makes the two disagree about a request that is due exactly now.
  let n = Math.floor((elapsedMs * ratePerSecond) / 1000) + 1;
  while (n > 0 && scheduledAt(n - 1, ratePerSecond) > elapsedMs) n--;
  while (scheduledAt(n, ratePerSecond) <= elapsedMs) n++;
  return Math.min(total, n);
}

export interface OpenLoopOptions {
  url: string;
  ratePerSecond: number;
  durationMs: number;
  /** Sent at the same rate first and not recorded, so connections and JIT are warm. */
  warmupMs?: number;
  headers?: Record<string, string>;
  /** Upper bound on open connections; requests beyond it queue (and that wait counts as latency). */
  maxSockets?: number;
  timeoutMs?: number;
}

export interface OpenLoopResult {
  /** Latency of each answered request, ms from its scheduled send time. */
  latencies: Float64Array;
  scheduled: number;
  answered: number;
  errors: number;
  non2xx: number;
  /** How late the driver itself issued sends (ms after schedule), p99: a check on the driver. */
  sendLagP99: number;
}

/** Runs one open-loop test; resolves when every request sent has been answered or has failed. */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 });
  const target = new URL(options.url);
  const warmup = Math.round(((options.warmupMs ?? 0) * options.ratePerSecond) / 1000);
  const total = warmup + Math.round((options.durationMs * options.ratePerSecond) / 1000);
  const latencies: number[] = [];
  const lags: number[] = [];
  let sent = 0;
  let settled = 0;
  let errors = 0;
  let non2xx = 0;
  const start = performance.now();

  await new Promise<void>((resolve) => {
    const finishOne = () => {
      settled++;
      if (settled === total) resolve();
    };
    const send = (index: number) => {
      const due = start + scheduledAt(index, options.ratePerSecond);
      const record = index >= warmup;
      if (record) lags.push(performance.now() - due);
      const request = http.get(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          headers: options.headers,
          timeout: options.timeoutMs ?? 10_000,
        },
        (response) => {
          response.resume();
          response.on("end", () => {
            if (record) {
              latencies.push(performance.now() - due);
              if (response.statusCode === undefined || response.statusCode >= 300) non2xx++;
            }
            finishOne();
          });
        },
      );
      request.on("timeout", () => request.destroy(new Error("timeout")));
      request.on("error", () => {
        if (record) errors++;
        finishOne();
      });
    };
    const tick = () => {
      const due = dueCount(performance.now() - start, options.ratePerSecond, total);
      while (sent < due) send(sent++);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  lags.sort((a, b) => a - b);
  return {
    latencies: Float64Array.from(latencies),
    scheduled: total - warmup,
    answered: latencies.length,
    errors,
    non2xx,
    sendLagP99: lags.length > 0 ? lags[Math.max(0, Math.ceil(lags.length * 0.99) - 1)]! : 0,
  };
}

/**
 * Runs one open-loop test in a separate Node process (open-loop-child.ts), so that the harness's own
 * garbage collection and bookkeeping never stall the driver.
 */
export function runOpenLoopInChild(options: OpenLoopOptions): Promise<OpenLoopResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL("./open-loop-child.ts", import.meta.url)), JSON.stringify(options)],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`the open-loop driver exited with ${code}`));
      const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as OpenLoopResult & {
        latencies: number[];
      };
      resolve({ ...parsed, latencies: Float64Array.from(parsed.latencies) });
    });
  });
}
