import { type BenchContext, baselineSpec, functionSpec, readyProbe } from "../lib/context.ts";
import { type ServerSpec, startServer, timeToExit } from "../lib/process.ts";
import { fmt, verdict } from "../lib/report.ts";
import { takePort } from "../lib/settings.ts";
import { spread } from "../lib/stats.ts";

// Section 2: from spawning a production bundle to its first 2xx answer of a database-backed request,
// many times, the targets taking turns so that a slow spell of the machine touches all of them.

export async function coldStartSection(ctx: BenchContext): Promise<void> {
  const names = [...ctx.bundles.keys()];
  const targets: { name: string; spec: () => ServerSpec }[] = [
    ...names.map((name) => ({ name, spec: () => functionSpec(ctx, name, takePort()) })),
    { name: "baseline", spec: () => baselineSpec(ctx, takePort()) },
  ];
  const times = new Map<string, number[]>([
    ...targets.map((t) => [t.name, []] as [string, number[]]),
    ["node -e 0", []],
  ]);
  ctx.log(`cold start: ${ctx.settings.coldStarts} starts each of ${[...times.keys()].join(", ")}`);
  for (let i = 0; i < ctx.settings.coldStarts; i++) {
    times.get("node -e 0")!.push(await timeToExit(["-e", "0"]));
    for (const target of targets) {
      const server = await startServer(target.spec(), readyProbe(ctx, target.name));
      times.get(target.name)!.push(server.startMs);
      await server.stop();
    }
  }
  const node = spread(times.get("node -e 0")!);
  const base = spread(times.get("baseline")!);
  const section = "Cold start (spawn → first database-backed 2xx)";
  const row = (name: string, s: ReturnType<typeof spread>, target?: boolean) => ({
    section,
    what: name === "baseline" ? "baseline (bare node:http + pg, bundled)" : name,
    value: fmt.ms(s.median),
    baseline: fmt.ms(base.median),
    ratio: fmt.ratio(s.median / base.median),
    spread: `${fmt.ms(s.min)}–${fmt.ms(s.max)}, ${fmt.ratio(s.median / node.median)} node -e 0`,
    ...(target ? { target: "≤ 2.0×", verdict: verdict(s.median / base.median, { max: 2 }) } : {}),
    note: name === "baseline" ? undefined : `probe GET ${readyProbe(ctx, name).path}`,
  });
  for (const name of names) ctx.figures.push(row(name, spread(times.get(name)!), true));
  ctx.figures.push(row("baseline", base), {
    section,
    what: "node -e 0",
    value: fmt.ms(node.median),
    baseline: fmt.ms(base.median),
    ratio: fmt.ratio(node.median / base.median),
    spread: `${fmt.ms(node.min)}–${fmt.ms(node.max)}`,
  });
  for (const bundle of [...ctx.bundles.values(), ctx.baseline])
    ctx.figures.push({ section: "Bundle size", what: bundle.name, value: fmt.kib(bundle.bytes) });
  ctx.raw.coldStart = Object.fromEntries([...times].map(([name, t]) => [name, spread(t)]));
  ctx.raw.bundles = [...ctx.bundles.values(), ctx.baseline].map((b) => ({ name: b.name, bytes: b.bytes }));
}
