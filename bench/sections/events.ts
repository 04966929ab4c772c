import type { BenchContext } from "../lib/context.ts";

// Section 3a: event latency (written once the local broker and the order and delivery functions land).
export async function eventsSection(ctx: BenchContext): Promise<void> {
  ctx.notes.push(
    "Event latency: not measured yet (needs the local broker and the order and delivery functions).",
  );
}
