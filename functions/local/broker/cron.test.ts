import { describe, expect, it } from "vitest";
import { parseCron } from "./cron.ts";

const at = (iso: string) => new Date(iso);

describe("parseCron", () => {
  it("matches every minute for * * * * *", () => {
    const cron = parseCron("* * * * *");
    expect(cron.matches(at("2026-11-22T10:00:00Z"))).toBe(true);
    expect(cron.matches(at("2026-11-22T23:59:00Z"))).toBe(true);
  });

  it("reads steps, ranges and lists in UTC", () => {
    const cron = parseCron("*/15 9-17 * * 1-5");
    expect(cron.matches(at("2026-11-23T09:45:00Z"))).toBe(true); // a Monday
    expect(cron.matches(at("2026-11-23T09:44:00Z"))).toBe(false);
    expect(cron.matches(at("2026-11-23T18:00:00Z"))).toBe(false);
    expect(cron.matches(at("2026-11-22T10:00:00Z"))).toBe(false); // a Sunday
    expect(parseCron("0 0,12 * * *").matches(at("2026-11-22T12:00:00Z"))).toBe(true);
    expect(parseCron("5-20/5 * * * *").matches(at("2026-11-22T12:15:00Z"))).toBe(true);
  });

  it("takes Sunday as 0 or 7, and either day field when both are restricted", () => {
    expect(parseCron("0 0 * * 7").matches(at("2026-11-22T00:00:00Z"))).toBe(true);
    const cron = parseCron("0 0 1 * 1");
    expect(cron.matches(at("2026-12-01T00:00:00Z"))).toBe(true); // the 1st, a Tuesday
    expect(cron.matches(at("2026-11-23T00:00:00Z"))).toBe(true); // a Monday, not the 1st
    expect(cron.matches(at("2026-11-24T00:00:00Z"))).toBe(false);
  });

  it("knows the @ macros", () => {
    expect(parseCron("@hourly").matches(at("2026-11-22T07:00:00Z"))).toBe(true);
    expect(parseCron("@hourly").matches(at("2026-11-22T07:01:00Z"))).toBe(false);
  });

  it.each(["* * * *", "60 * * * *", "* 24 * * *", "*/0 * * * *", "5-1 * * * *", "a * * * *", "*-3 * * * *"])(
    "rejects %s",
    (schedule) => {
      expect(() => parseCron(schedule)).toThrow(/cron/);
    },
  );
});
