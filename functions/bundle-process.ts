import { type ChildProcess, spawn } from "node:child_process";

/** A bundle started as the container starts it: `node dist/main.mjs` with FUNCTION and PORT. */
export interface RunningBundle {
  child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr together. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>;
}

/**
 * Runs the launcher in `dir` with `env` (plus a PATH, nothing inherited, as in a container). Used by the
 * bundle test; the process is the test's to stop.
 */
export function startBundle(dir: string, env: Record<string, string>): RunningBundle {
  const child = spawn(process.execPath, ["main.mjs"], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  return { child, output: () => text, exited };
}

/** Waits until `predicate(output)` holds, the process exits, or `ms` pass. */
export async function waitForOutput(
  running: RunningBundle,
  predicate: (output: string) => boolean,
  ms = 15_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  let ended = false;
  void running.exited.then(() => {
    ended = true;
  });
  while (!predicate(running.output())) {
    if (ended) throw new Error(`process ended before it was ready:\n${running.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for the process:\n${running.output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Ends a process the test started if it is still running (after a failed assertion, say). */
export async function ensureStopped(running: RunningBundle): Promise<void> {
  if (running.child.exitCode === null && running.child.signalCode === null) {
    running.child.kill("SIGKILL");
    await running.exited;
  }
}
