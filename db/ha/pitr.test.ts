import { rm } from "node:fs/promises";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "../../shared/db/create-db.ts";
import { migrateToLatest } from "../migrate-to-latest.ts";
import { seed } from "../seed.ts";
import { baseBackup, restoreToTime } from "./pitr.ts";
import { query, removeServer, type Server, startPrimary } from "./postgres-pair.ts";
import { freePorts, postgresDir, sleep } from "./processes.ts";

// The restore runbook's ground (docs/deploying.md, "Restore to a point in time"), as far as it runs
// without a cluster: a base backup, continuous WAL archiving, then a bad change (a table dropped), and a
// new server restored from the backup and the archive to the moment before it. What was committed before
// that moment is there; what came after it, the drop included, is not.

const servers: Server[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const server of servers) await removeServer(server);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}, 60_000);

describe("point-in-time recovery from a base backup and archived WAL", () => {
  it("brings back what a later drop destroyed, and nothing committed after the target", async () => {
    const [primaryPort, restoredPort] = await freePorts(2);
    const archiveDir = await postgresDir("tavola-ha-archive-");
    dirs.push(archiveDir);
    const primary = await startPrimary(primaryPort!, archiveDir);
    servers.push(primary);
    await query(primary.url("postgres"), "create database tavola");
    const db = createDb({ databaseUrl: primary.url("tavola"), poolMax: 2 });
    try {
      await migrateToLatest(db);
      const backupDir = await baseBackup(primary);

      // After the base backup: the seed (menu items) and an order of the day, then the target time.
      await seed(db, { adminUsername: "admin" });
      const items = Number(
        (await sql<{ n: string }>`select count(*) as n from menu_items`.execute(db)).rows[0]!.n,
      );
      await sleep(20);
      const [{ target }] = (await query<{ target: string }>(
        primary.url("tavola"),
        "select now()::text as target",
      )) as [{ target: string }];
      await sleep(20);
      // After the target: a category added, then the accident.
      await db.insertInto("categories").values({ slug: "after-target", title: "After the target" }).execute();
      await sql`drop table menu_items cascade`.execute(db);
      // Close the WAL segment holding the drop and wait (bounded) until the archiver has copied it.
      const [switched] = await query<{ wal: string }>(
        primary.url("tavola"),
        "select pg_walfile_name(pg_switch_wal()) as wal",
      );
      for (let i = 0; ; i++) {
        const [row] = await query<{ last: string | null }>(
          primary.url("postgres"),
          "select last_archived_wal as last from pg_stat_archiver",
        );
        if (row?.last && row.last >= switched!.wal) break;
        if (i > 1_200) throw new Error(`WAL ${switched!.wal} was never archived`);
        await sleep(50);
      }
      expect(items).toBeGreaterThan(0);

      const restored = await restoreToTime({
        backupDir,
        archiveDir,
        targetTime: target,
        port: restoredPort!,
      });
      servers.push(restored);
      const url = restored.url("tavola");
      const [count] = await query<{ n: string }>(url, "select count(*)::text as n from menu_items");
      expect(Number(count!.n)).toBe(items);
      expect(await query(url, "select 1 from categories where slug = 'after-target'")).toEqual([]);
      const [state] = await query<{ standby: boolean }>(url, "select pg_is_in_recovery() as standby");
      expect(state!.standby).toBe(false);
      console.log(`pitr: restored to ${target}: ${count!.n} menu items back, the later category absent`);
    } finally {
      await db.destroy();
    }
  }, 240_000);
});
