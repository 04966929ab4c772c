import type { Migration } from "kysely/migration";
import * as initial from "./2026-11-22T00-00_initial.ts";
import * as scaleIndexes from "./2026-12-03T03-00_scale_indexes.ts";

/**
 * Every migration, by name, in the order they run. Listed by hand rather than read from the folder so
 * that a bundled function carries its migrations with it.
 */
export const migrations: Record<string, Migration> = {
  "2026-11-22T00-00_initial": initial,
  "2026-12-03T03-00_scale_indexes": scaleIndexes,
};
