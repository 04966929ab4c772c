import { parseCron } from "./cron.ts";
import type { PingSourceObject } from "./manifests.ts";

export interface PingSchedule {
  stop(): void;
}

/**
 * Runs PingSource schedules on a broker clock that moves `1 / timeScale` times as fast as real time
 * (starting from now): at each minute of that clock every PingSource whose cron matches it fires.
 */
export function createPingSchedule(
  sources: readonly PingSourceObject[],
  options: { timeScale: number; fire: (name: string, at: Date) => void; now?: () => number },
): PingSchedule {
  const crons = sources.map((source) => {
    const timezone = source.spec.timezone;
    if (timezone && timezone !== "UTC" && timezone !== "Etc/UTC") {
      throw new Error(`PingSource ${source.metadata.name}: the local broker runs schedules in UTC only`);
    }
    return { name: source.metadata.name, cron: parseCron(source.spec.schedule) };
  });
  const now = options.now ?? Date.now;
  const realStart = now();
  const brokerNow = () => realStart + (now() - realStart) / options.timeScale;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  // The minute to fire next; kept rather than recomputed, since a timer may wake a hair early.
  let minute = Math.floor(brokerNow() / 60_000) * 60_000 + 60_000;
  const next = () => {
    if (stopped) return;
    timer = setTimeout(
      () => {
        const at = new Date(minute);
        for (const { name, cron } of crons) if (cron.matches(at)) options.fire(name, at);
        minute += 60_000;
        next();
      },
      Math.max(0, (minute - brokerNow()) * options.timeScale),
    );
    // The schedule alone never keeps a process alive.
    timer.unref();
  };
  if (crons.length > 0) next();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
