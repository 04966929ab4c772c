/**
 * Counters of one function instance's event machinery, rendered in the Prometheus text format at
 * `GET /metrics`. They live in memory, so a pod scaled to zero starts again from nothing; the durable
 * numbers (outbox rows by status) are read from the database at scrape time instead.
 */
export interface EventMetrics {
  increment(name: CounterName, labels: Record<string, string>, by?: number): void;
  /** The current value of one counter series (0 when never incremented). */
  value(name: CounterName, labels: Record<string, string>): number;
  /** Every series in the Prometheus text exposition format. */
  render(): string;
}

const COUNTERS = {
  tavola_events_received_total: "CloudEvents received on /events, by type and outcome.",
  tavola_outbox_swept_total: "Outbox rows the sweep tried to send, by outcome (sent, failed, abandoned).",
  tavola_outbox_abandoned_total: "Outbox rows given up on after the last attempt.",
  tavola_dead_letters_received_total: "Events the broker gave up on, stored in dead_letters.",
  tavola_reconciliation_repairs_total:
    "Rows the PingSource tick's reconciliation brought into line, by kind: each means an event went missing.",
} as const;

export type CounterName = keyof typeof COUNTERS;

/** A fresh set of counters. */
export function createEventMetrics(): EventMetrics {
  const series = new Map<string, number>();
  const key = (name: string, labels: Record<string, string>) => `${name}${formatLabels(labels)}`;
  return {
    increment(name, labels, by = 1) {
      const k = key(name, labels);
      series.set(k, (series.get(k) ?? 0) + by);
    },
    value(name, labels) {
      return series.get(key(name, labels)) ?? 0;
    },
    render() {
      const lines: string[] = [];
      for (const [name, help] of Object.entries(COUNTERS)) {
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
        for (const [k, v] of [...series].sort()) if (k.startsWith(`${name}{`)) lines.push(`${k} ${v}`);
      }
      return `${lines.join("\n")}\n`;
    },
  };
}

/** `{a="x",b="y"}` with label values escaped as the exposition format demands. */
export function formatLabels(labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map(
      (k) => `${k}="${labels[k]!.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`,
    );
  return `{${parts.join(",")}}`;
}
