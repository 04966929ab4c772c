// How much load each mode applies. Quick mode must finish in under two minutes on the shared machine;
// full mode is what the committed results come from.

export interface Settings {
  mode: "quick" | "full";
  /** Measured runs per side and route (each side's runs alternate with the other's). */
  runs: number;
  durationSeconds: number;
  /** One unrecorded run per side before the measured ones (JIT, pools, caches). */
  warmupSeconds: number;
  connections: number;
  /** The pool size of every server under test (DB_POOL_MAX), baseline included. */
  poolSize: number;
  coldStarts: number;
  openLoopRate: number;
  openLoopSeconds: number;
  openLoopRuns: number;
  pgbouncerRuns: number;
  eventOrders: number;
  sweepEvents: number;
  /** Customers seeded: each checkout request needs one with a full cart. */
  customers: number;
  categories: number;
  itemsPerCategory: number;
}

export function settingsFor(quick: boolean): Settings {
  const common = { connections: 16, poolSize: 5, categories: 8, itemsPerCategory: 40, openLoopRate: 1000 };
  return quick
    ? {
        ...common,
        mode: "quick",
        runs: 3,
        durationSeconds: 1,
        warmupSeconds: 1,
        coldStarts: 10,
        openLoopSeconds: 2,
        openLoopRuns: 1,
        pgbouncerRuns: 2,
        eventOrders: 100,
        sweepEvents: 1_000,
        customers: 8_000,
      }
    : {
        ...common,
        mode: "full",
        runs: 5,
        durationSeconds: 5,
        warmupSeconds: 2,
        coldStarts: 15,
        openLoopSeconds: 4,
        openLoopRuns: 9,
        pgbouncerRuns: 5,
        eventOrders: 300,
        sweepEvents: 10_000,
        customers: 30_000,
      };
}

/**
 * The harness's range of 100 ports: 18600–18699, or from BENCH_PORT_BASE (so two benches, or a bench
 * beside another checkout's, can share a machine). A few fixed ones, the rest handed out in turn.
 */
const PORT_BASE = Number(process.env.BENCH_PORT_BASE ?? 18_600);
export const PORTS = {
  sqlCapture: PORT_BASE,
  pgbouncer: PORT_BASE + 1,
  broker: PORT_BASE + 2,
  sink: PORT_BASE + 3,
  firstDynamic: PORT_BASE + 10,
  lastDynamic: PORT_BASE + 99,
} as const;

let nextPort: number = PORTS.firstDynamic;

/** The next dynamic port, wrapping around: servers are stopped long before their port comes round. */
export function takePort(): number {
  const port = nextPort;
  nextPort = nextPort >= PORTS.lastDynamic ? PORTS.firstDynamic : nextPort + 1;
  return port;
}
