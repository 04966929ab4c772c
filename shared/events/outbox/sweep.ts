import type { Kysely } from "kysely";
import type { Database } from "../../db/types.ts";
import type { Logger } from "../../log.ts";
import type { EventMetrics } from "../metrics.ts";
import { type RetryPolicy, type SendEvent, type SendOutcome, sendClaimed } from "./sender.ts";
import { claimPending, releaseLeases } from "./store.ts";

export interface SweepOptions {
  /** The function's source (`/tavola/<name>`): a function sweeps only its own rows. */
  source: string;
  /** Rows claimed at a time; what a batch does not take waits for the next batch or ping (default 25). */
  batchSize?: number;
  /** How long claimed rows are held (default 120 s: the batch times the send timeout, with room). */
  leaseSeconds?: number;
  /**
   * After this many failed sends in a row the broker is taken to be away: the rest of the batch is
   * released untried, so an outage does not spend every row's attempts at once (default 3).
   */
  stopAfterFailures?: number;
  /**
   * Keep claiming further batches, while each one comes back full and without a failure, until this
   * many milliseconds have passed (default 0: one batch). The PingSource comes once a minute, so with
   * one batch per ping a backlog of 10,000 events would take 400 minutes to drain; the ping handler
   * gives the sweep a budget instead.
   */
  budgetMs?: number;
  now?: () => number;
}

export interface SweepReport {
  claimed: number;
  sent: number;
  failed: number;
  abandoned: number;
  /** Claimed but given back untried because the broker looked away. */
  released: number;
}

/**
 * Sends what is pending in the outbox of one source, oldest first. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED` and a lease, so two instances sweeping at once never send one row twice; a
 * row that fails its last attempt is abandoned (logged, counted) while the rest keep flowing. One batch,
 * or batch after batch within `budgetMs` while they come back full and clean.
 */
export async function sweepOutbox(
  deps: {
    db: Kysely<Database>;
    send: SendEvent;
    policy: RetryPolicy;
    logger: Logger;
    metrics?: EventMetrics;
  },
  options: SweepOptions,
): Promise<SweepReport> {
  const now = options.now ?? Date.now;
  const started = now();
  const batchSize = options.batchSize ?? 25;
  const report: SweepReport = { claimed: 0, sent: 0, failed: 0, abandoned: 0, released: 0 };
  for (;;) {
    const batch = await sweepBatch(deps, options, batchSize);
    for (const key of Object.keys(report) as (keyof SweepReport)[]) report[key] += batch[key];
    // A short batch means the backlog is gone; a failure means the broker (or a row) is in trouble, and a
    // failed row may be claimable again at once: leave it all to the next ping.
    const clean = batch.claimed === batchSize && batch.failed + batch.abandoned + batch.released === 0;
    if (!clean || now() - started >= (options.budgetMs ?? 0)) break;
  }
  if (report.claimed > 0) deps.logger.info("outbox swept", { source: options.source, ...report });
  return report;
}

/** Claims one batch and sends it, oldest first, one row at a time. */
async function sweepBatch(
  deps: Parameters<typeof sweepOutbox>[0],
  options: SweepOptions,
  batchSize: number,
): Promise<SweepReport> {
  const rows = await claimPending(deps.db, options.source, batchSize, options.leaseSeconds ?? 120);
  const report: SweepReport = { claimed: rows.length, sent: 0, failed: 0, abandoned: 0, released: 0 };
  const stopAfter = options.stopAfterFailures ?? 3;
  let failuresInARow = 0;
  for (const [index, row] of rows.entries()) {
    const outcome = await sendClaimed(deps, row);
    count(report, deps.metrics, options.source, outcome);
    failuresInARow = outcome === "sent" ? 0 : failuresInARow + 1;
    if (failuresInARow >= stopAfter) {
      const rest = rows.slice(index + 1).map((r) => r.id);
      await releaseLeases(deps.db, rest);
      report.released = rest.length;
      break;
    }
  }
  return report;
}

function count(report: SweepReport, metrics: EventMetrics | undefined, source: string, outcome: SendOutcome) {
  report[outcome] += 1;
  metrics?.increment("tavola_outbox_swept_total", { source, outcome });
  if (outcome === "abandoned") metrics?.increment("tavola_outbox_abandoned_total", { source });
}
