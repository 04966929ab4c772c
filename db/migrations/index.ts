import type { Migration } from "kysely/migration";
import * as initial from "./2026-11-22T00-00_initial.ts";
import * as eventVersions from "./2026-12-03T01-00_event_versions.ts";
import * as loginFailuresByClient from "./2026-12-03T02-00_login_failures_by_client.ts";
import * as scaleIndexes from "./2026-12-03T03-00_scale_indexes.ts";
import * as changeFeed from "./2026-12-03T04-00_change_feed.ts";

/**
 * Every migration, by name, in the order they run. Listed by hand rather than read from the folder so
 * that a bundled function carries its migrations with it.
 */
export const migrations: Record<string, Migration> = {
  "2026-11-22T00-00_initial": initial,
  "2026-12-03T01-00_event_versions": eventVersions,
  "2026-12-03T02-00_login_failures_by_client": loginFailuresByClient,
  "2026-12-03T03-00_scale_indexes": scaleIndexes,
  "2026-12-03T04-00_change_feed": changeFeed,
};

/** The newest migration: the schema this build's code expects (a function is not ready before it). */
export const LATEST_MIGRATION = Object.keys(migrations).at(-1) ?? "";
