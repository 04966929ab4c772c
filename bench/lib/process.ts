import { type ChildProcess, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import http from "node:http";
import { performance } from "node:perf_hooks";

// Child processes of the harness: every server under test runs alone in its own process, started the
// way Knative starts a function (a command, an environment, a PORT), and is stopped with SIGTERM.

export interface ServerSpec {
  /** A label for messages and results: "menu", "baseline". */
  name: string;
  /** The arguments to `node` (the harness's own Node binary): a bundle path, or a main.ts. */
  args: string[];
  env: Record<string, string>;
  port: number;
}

// Every child still running; killed if the harness itself exits early (an error, Ctrl-C).
const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/** Registers a child so that it never outlives the harness. */
export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once("exit", () => live.delete(child));
  return child;
}

/** A GET that must answer 2xx before a server counts as started: a real, database-backed request. */
export interface ReadyProbe {
  path: string;
  headers?: Record<string, string>;
}

export interface RunningServer {
  name: string;
  pid: number;
  port: number;
  baseUrl: string;
  /** Milliseconds from spawn to the first 2xx answer of the probe. */
  startMs: number;
  /** Resident memory now and its peak so far (VmRSS and VmHWM), in bytes. */
  memory(): Promise<{ rss: number; peak: number }>;
  /** CPU time (user + system) the process has used so far, in milliseconds. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/** Answers one GET: its status, or 0 when the connection failed (nobody listening yet). */
export function probe(port: number, request: ReadyProbe, timeoutMs = 2_000): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(
      {
        host: "127.0.0.1",
        port,
        path: request.path,
        headers: request.headers,
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
  });
}

/**
 * Spawns a server and polls the probe (every 2 ms, so the start time is exact to about that) until it
 * answers 2xx; fails if the process exits first or the deadline passes.
 */
export async function startServer(
  spec: ServerSpec,
  ready: ReadyProbe,
  deadlineMs = 20_000,
): Promise<RunningServer> {
  const env = { PATH: process.env.PATH ?? "", ...spec.env, PORT: String(spec.port) };
  const started = performance.now();
  const child = track(spawn(process.execPath, spec.args, { env, stdio: ["ignore", "ignore", "pipe"] }));
  const stderr: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => {
    if (stderr.join("").length < 8_000) stderr.push(chunk.toString());
  });
  let exited: number | null | undefined;
  child.once("exit", (code) => {
    exited = code;
  });
  for (;;) {
    if (exited !== undefined)
      throw new Error(
        `${spec.name} exited (${exited}) before answering:\n${stderr.join("").slice(0, 4_000)}`,
      );
    const status = await probe(spec.port, ready);
    if (status >= 200 && status < 300) break;
    if (status >= 300) {
      await stopChild(child);
      throw new Error(`${spec.name}: ${ready.path} answered ${status} at start`);
    }
    if (performance.now() - started > deadlineMs) {
      await stopChild(child);
      throw new Error(
        `${spec.name} did not answer ${ready.path} within ${deadlineMs} ms:\n${stderr.join("")}`,
      );
    }
    await sleep(2);
  }
  const startMs = performance.now() - started;
  return {
    name: spec.name,
    pid: child.pid!,
    port: spec.port,
    baseUrl: `http://127.0.0.1:${spec.port}`,
    startMs,
    memory: () => memoryOf(child.pid!),
    cpuMs: () => cpuMsOf(child.pid!),
    stop: () => stopChild(child),
  };
}

/** VmRSS and VmHWM of a process from /proc (Linux), in bytes. */
export async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rss: kib("VmRSS") * 1024, peak: kib("VmHWM") * 1024 };
}

/** utime + stime of a process from /proc/<pid>/stat (Linux; clock ticks of 10 ms), in milliseconds. */
export async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** SIGTERM, then SIGKILL if the process has not exited within five seconds. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Milliseconds from spawning `node <args>` to its exit: the floor every start time sits on. */
export function timeToExit(args: string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: "ignore" });
    child.once("error", reject);
    child.once("exit", () => resolve(performance.now() - started));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
