import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../shared/testing/free-port.ts";
import { spawnNpmStart } from "../../shared/testing/npm-start.ts";
import { waitForOutput } from "../../shared/testing/process-output.ts";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface RunningStack {
  /** e.g. `http://127.0.0.1:41234` */
  base: string;
  admin: { username: string; password: string };
  stop(): Promise<void>;
}

/**
 * `npm start` as a person runs it (functions/local/main.ts, which builds web/dist when stale), on a
 * free port, with an embedded PGlite database of its own in a fresh directory. The throttle is raised:
 * every browser context of the tests shares one address.
 */
export async function startStack(): Promise<RunningStack> {
  const dataDir = await mkdtemp(join(tmpdir(), "tavola-browser-"));
  const port = await freePort();
  const admin = { username: "admin", password: `admin-${port}-password` };
  const child = spawnNpmStart(port, dataDir, {
    ADMIN_PASSWORD: admin.password,
    THROTTLE_LIMIT: "100000",
    // Streams end every few seconds, so the pages reconnect (with Last-Event-ID) many times in each test.
    LIVE_STREAM_MAX_SECONDS: "3",
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForOutput(child, /Tavola is running/, 180_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { base: `http://127.0.0.1:${port}`, admin, stop };
}
