import type { BenchContext } from "../lib/context.ts";

// Section 3b: outbox sweep throughput (written once the sweep lands).
export async function sweepSection(ctx: BenchContext): Promise<void> {
  ctx.notes.push("Outbox sweep: not measured yet (needs the sweep).");
}
