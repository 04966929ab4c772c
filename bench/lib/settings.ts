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

// BENCH_PORT_BASE moves the whole range (on a machine shared with others who own 18600–18699).
const base = Number(process.env.BENCH_PORT_BASE ?? "18600");

/** Ports of the harness's range (18600–18699 by default): a few fixed ones, the rest handed out in turn. */
export const PORTS = {
  sqlCapture: base,
  pgbouncer: base + 1,
  broker: base + 2,
  sink: base + 3,
  firstDynamic: base + 10,
  // 18690–18699 stay free for tests that need a real port (shared/events/sender.test.ts).
  lastDynamic: base + 89,
} as const;

let nextPort: number = PORTS.firstDynamic;

/** The next dynamic port, wrapping around: servers are stopped long before their port comes round. */
export function takePort(): number {
  const port = nextPort;
  nextPort = nextPort >= PORTS.lastDynamic ? PORTS.firstDynamic : nextPort + 1;
  return port;
}
