// A cron matcher for PingSource schedules: five fields (minute hour day-of-month month day-of-week) with
// `*`, numbers, ranges, steps and lists, evaluated in UTC as Knative does by default. Standard cron's
// one quirk is kept: when both day fields are restricted, a day matching either one is enough.

export interface CronSchedule {
  matches(at: Date): boolean;
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

const MACROS: Record<string, string> = {
  "@hourly": "0 * * * *",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@weekly": "0 0 * * 0",
  "@monthly": "0 0 1 * *",
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
};

/** Parses a schedule; throws naming the field that is wrong. */
export function parseCron(schedule: string): CronSchedule {
  const expanded = MACROS[schedule.trim()] ?? schedule;
  const parts = expanded.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron "${schedule}": expected five fields`);
  const [minute, hour, dom, month, dow] = parts.map((part, i) => parseField(part, FIELDS[i]!, schedule));
  // Sunday is 0 or 7.
  if (dow!.has(7)) dow!.add(0);
  const domRestricted = parts[2] !== "*";
  const dowRestricted = parts[4] !== "*";
  return {
    matches(at) {
      if (!minute!.has(at.getUTCMinutes()) || !hour!.has(at.getUTCHours())) return false;
      if (!month!.has(at.getUTCMonth() + 1)) return false;
      const byDom = dom!.has(at.getUTCDate());
      const byDow = dow!.has(at.getUTCDay());
      return domRestricted && dowRestricted ? byDom || byDow : byDom && byDow;
    },
  };
}

function parseField(text: string, field: (typeof FIELDS)[number], schedule: string): Set<number> {
  const values = new Set<number>();
  const fail = (): never => {
    throw new Error(`cron "${schedule}": bad ${field.name} "${text}"`);
  };
  for (const item of text.split(",")) {
    const match = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(item);
    if (!match) fail();
    const [, start, end, step] = match!;
    const from = start === "*" ? field.min : Number(start);
    const to = start === "*" ? field.max : end !== undefined ? Number(end) : step ? field.max : from;
    const by = step ? Number(step) : 1;
    if (from < field.min || to > field.max || from > to || by < 1 || (start === "*" && end)) fail();
    for (let v = from; v <= to; v += by) values.add(v);
  }
  return values;
}
