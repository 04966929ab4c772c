import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * `npm start` (functions/local/main.ts) as a process, as a person runs it from the repository's root: on
 * 127.0.0.1:`port` with its own DATA_DIR, logging warnings only, inheriting nothing but PATH; `env` adds
 * to that. stdout and stderr are piped, for waitForOutput; the process is the caller's to stop.
 */
export function spawnNpmStart(port: number, dataDir: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ["functions/local/main.ts"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
