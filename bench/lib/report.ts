import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

// One line of the results table: a figure, its baseline, the ratio, the target and the verdict.

export type Verdict = "pass" | "short" | "n/a";

export interface Figure {
  section: string;
  what: string;
  value: string;
  baseline?: string;
  ratio?: string;
  /** Runs' spread or other context: "±4%", "5 runs". */
  spread?: string;
  target?: string;
  verdict?: Verdict;
  note?: string;
}

/** pass when `value` is at least `min` (or at most `max`); n/a when it is not a number. */
export function verdict(value: number, bound: { min?: number; max?: number }): Verdict {
  if (!Number.isFinite(value)) return "n/a";
  if (bound.min !== undefined && value < bound.min) return "short";
  if (bound.max !== undefined && value > bound.max) return "short";
  return "pass";
}

export const fmt = {
  ms: (v: number) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms` : "–"),
  rps: (v: number) => (Number.isFinite(v) ? `${Math.round(v)} req/s` : "–"),
  ratio: (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : "–"),
  pct: (v: number) => (Number.isFinite(v) ? `±${Math.round((v * 100) / 2)}%` : "–"),
  mib: (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1048576).toFixed(1)} MiB` : "–"),
  kib: (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KiB` : "–"),
};

/** The Markdown of a run: a header with the conditions, then one table per section. */
export function toMarkdown(
  meta: Record<string, unknown>,
  figures: readonly Figure[],
  notes: readonly string[],
): string {
  const lines = ["# Tavola benchmark results", ""];
  for (const [key, value] of Object.entries(meta)) lines.push(`- **${key}**: ${String(value)}`);
  lines.push("");
  const sections = [...new Set(figures.map((f) => f.section))];
  for (const section of sections) {
    lines.push(`## ${section}`, "");
    lines.push("| what | value | baseline | ratio | spread | target | verdict | note |");
    lines.push("|---|---|---|---|---|---|---|---|");
    for (const f of figures.filter((x) => x.section === section)) {
      const cells = [f.what, f.value, f.baseline, f.ratio, f.spread, f.target, f.verdict, f.note];
      lines.push(`| ${cells.map((c) => (c ?? "").replaceAll("|", "\\|")).join(" | ")} |`);
    }
    lines.push("");
  }
  if (notes.length > 0) {
    lines.push("## Notes", "");
    for (const note of notes) lines.push(`- ${note}`);
    lines.push("");
  }
  return lines.join("\n");
}

/** A plain-text table for the terminal. */
export function toConsole(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.section,
    f.what,
    f.value,
    f.baseline ?? "",
    f.ratio ?? "",
    f.spread ?? "",
    f.target ?? "",
    f.verdict ?? "",
  ]);
  const header = ["section", "what", "value", "baseline", "ratio", "spread", "target", "verdict"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export async function writeResults(
  dir: string,
  stem: string,
  json: unknown,
  markdown: string,
): Promise<{ json: string; markdown: string }> {
  await mkdir(dir, { recursive: true });
  const jsonFile = join(dir, `${stem}.json`);
  const mdFile = join(dir, `${stem}.md`);
  await writeFile(jsonFile, `${JSON.stringify(json, null, 2)}\n`);
  await writeFile(mdFile, markdown);
  return { json: jsonFile, markdown: mdFile };
}
