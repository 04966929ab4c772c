// The value formats Knative's admission webhooks enforce and the OpenAPI schemas leave as plain strings.

/** An ISO-8601 duration as Knative Eventing parses it (delivery backoffDelay, timeout): "PT0.5S", "P1D". */
export function isIsoDuration(value: string): boolean {
  return /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(value);
}

/** A Go duration (autoscaling windows and delays): "60s", "1m30s", "0s". Returns seconds, or undefined. */
export function goDurationSeconds(value: string): number | undefined {
  if (value === "0") return 0;
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== value) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2]!]!, 0);
}

const CRON_FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31, question: true },
  { name: "month", min: 1, max: 12, names: "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC" },
  { name: "day of week", min: 0, max: 6, question: true, names: "SUN MON TUE WED THU FRI SAT" },
] as const;

const CRON_MACROS = new Set([
  "@yearly",
  "@annually",
  "@monthly",
  "@weekly",
  "@daily",
  "@midnight",
  "@hourly",
]);

/**
 * Why a cron schedule (PingSource, CronJob; the standard five fields, names, steps, ranges, lists and
 * the @-macros, optionally after CRON_TZ=) is invalid, or undefined when it is valid.
 */
export function cronProblem(schedule: string): string | undefined {
  const spec = schedule.replace(/^(CRON_)?TZ=\S+\s+/, "").trim();
  if (CRON_MACROS.has(spec)) return undefined;
  if (spec.startsWith("@every ")) {
    return goDurationSeconds(spec.slice(7)) ? undefined : `bad @every duration in "${schedule}"`;
  }
  const fields = spec.split(/\s+/);
  if (fields.length !== 5) return `"${schedule}" has ${fields.length} fields, not 5`;
  for (const [i, field] of fields.entries()) {
    const rule = CRON_FIELDS[i]!;
    for (const item of field.split(",")) {
      if (!cronItemValid(item, rule)) return `bad ${rule.name} "${item}" in "${schedule}"`;
    }
  }
  return undefined;
}

function cronItemValid(item: string, rule: (typeof CRON_FIELDS)[number]): boolean {
  if (item === "?" && "question" in rule) return true;
  const [range, step, extra] = item.split("/");
  if (extra !== undefined || range === undefined || range === "") return false;
  if (step !== undefined && !/^[1-9]\d*$/.test(step)) return false;
  if (range === "*") return true;
  const bounds = range.split("-");
  if (bounds.length > 2) return false;
  const values = bounds.map((b) => cronValue(b, rule));
  if (values.some((v) => v === undefined)) return false;
  const [low, high] = values as number[];
  return high === undefined || low! <= high;
}

function cronValue(text: string, rule: (typeof CRON_FIELDS)[number]): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= rule.min && n <= rule.max ? n : undefined;
  }
  if (!("names" in rule)) return undefined;
  const index = rule.names.split(" ").indexOf(text.toUpperCase());
  return index < 0 ? undefined : index + rule.min;
}
