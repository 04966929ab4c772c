import { join } from "node:path";
import { type RunningServer, startServer } from "./process.ts";
import { PORTS } from "./settings.ts";

/** The stand-in event sink (bench/baseline/sink.ts) that the functions' K_SINK points at in a bench run. */
export function startSink(root: string): Promise<RunningServer> {
  return startServer(
    { name: "sink", args: [join(root, "bench", "baseline", "sink.ts")], env: {}, port: PORTS.sink },
    { path: "/" },
  );
}
