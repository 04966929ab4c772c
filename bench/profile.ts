// `npm run bench:profile -- <menu-list|menu-item|cart-add|checkout> [--seconds=5] [--baseline]`: runs one
// benchmarked route's function from its TypeScript source (real function names in the profile) under
// `--cpu-prof`, loads it with autocannon, and prints where the server's CPU went: the functions with the
// most self time and the inclusive time of each package or project folder. Writes the .cpuprofile beside
// the summary for Chrome DevTools. A tool for finding causes, not a benchmark: figures come from `bench`.

import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchContext, functionEnv, readyProbe } from "./lib/context.ts";
import { createBenchDatabase, seedBenchData } from "./lib/database.ts";
import { runLoad } from "./lib/load.ts";
import { startServer } from "./lib/process.ts";
import { PORTS, settingsFor } from "./lib/settings.ts";
import { startSink } from "./lib/sink.ts";
import { createBenchKeys, mintTokens } from "./lib/tokens.ts";
import { routeBenches } from "./sections/routes.ts";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const args = process.argv.slice(2);
const key = args.find((a) => !a.startsWith("--")) ?? "menu-list";
const seconds = Number(args.find((a) => a.startsWith("--seconds="))?.slice(10) ?? 5);
const onBaseline = args.includes("--baseline");
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const adminUrl =
  process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

const settings = { ...settingsFor(true), customers: 2_000 };
const workDir = await mkdtemp(join(tmpdir(), "tavola-profile-"));
const database = await createBenchDatabase(adminUrl);
try {
  const seeded = await seedBenchData(database.db, settings);
  const keys = await createBenchKeys();
  const customerTokens = await mintTokens(keys, seeded.customers);
  const sink = await startSink(root);
  const ctx = {
    root,
    settings,
    database,
    seeded,
    keys,
    customerTokens,
    dataDir: join(workDir, "data"),
    sinkUrl: `${sink.baseUrl}/`,
    nodeFlags: [],
    log: (m: string) => console.log(m),
  } as unknown as BenchContext;
  const route = routeBenches(ctx).find((r) => r.key === key);
  if (!route) throw new Error(`no route ${key}`);
  const profileDir = join(workDir, "profile");
  const entry = onBaseline
    ? join(root, "bench", "baseline", "server.ts")
    : join(root, "functions", route.fn, "main.ts");
  const server = await startServer(
    {
      name: onBaseline ? "baseline" : route.fn,
      args: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, entry],
      env: functionEnv(ctx),
      port: PORTS.firstDynamic,
    },
    readyProbe(ctx, onBaseline ? "baseline" : route.fn),
  );
  await route.prepare?.();
  await runLoad({ baseUrl: server.baseUrl, connections: 16, durationSeconds: 1, next: route.requests() });
  await route.prepare?.();
  const cpuBefore = await server.cpuMs();
  const result = await runLoad({
    baseUrl: server.baseUrl,
    connections: 16,
    durationSeconds: seconds,
    next: route.requests(),
  });
  const cpuMs = (await server.cpuMs()) - cpuBefore;
  await server.stop();
  await sink.stop();
  console.log(
    `${route.label} on ${onBaseline ? "the baseline" : route.fn}: ${result.rps.toFixed(0)} req/s, ` +
      `${((cpuMs * 1000) / result.requests).toFixed(0)} µs CPU per request`,
  );
  const file = join(profileDir, (await readdir(profileDir))[0]!);
  summarize(JSON.parse(await readFile(file, "utf8")) as { nodes: ProfileNode[] });
  console.log(`profile: ${file}`);
} finally {
  await database.drop();
}

function summarize(profile: { nodes: ProfileNode[] }) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const total = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const where = (url: string) => {
    if (!url) return "(native)";
    const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    if (modules) return modules[1]!;
    if (url.startsWith("node:")) return "node:";
    const local = url.replace(`file://${root}/`, "");
    return local === url ? url : local.split("/").slice(0, 2).join("/");
  };
  // Inclusive time per place: a sample counts once for every place on its stack.
  const walk = (id: number, stack: Set<string>) => {
    const node = byId.get(id)!;
    const place = where(node.callFrame.url);
    const nextStack = stack.has(place) ? stack : new Set([...stack, place]);
    const hits = node.hitCount ?? 0;
    for (const p of nextStack) inclusive.set(p, (inclusive.get(p) ?? 0) + hits);
    const name = `${node.callFrame.functionName || "(anonymous)"} ${place}:${node.callFrame.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + hits);
    for (const child of node.children ?? []) walk(child, nextStack);
  };
  walk(profile.nodes[0]!.id, new Set());
  const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
  console.log("\nself time:");
  for (const [name, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40))
    console.log(`${pct(hits)}  ${name}`);
  console.log("\ninclusive time by place:");
  for (const [name, hits] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 30))
    console.log(`${pct(hits)}  ${name}`);
}
