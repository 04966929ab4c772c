import type { Kysely } from "kysely";
import type { Database } from "../db/types.ts";
import type { Logger } from "../log.ts";
import type { EventMetrics } from "./metrics.ts";
import { claimPending, releaseLeases } from "./outbox-store.ts";
import { type RetryPolicy, type SendEvent, type SendOutcome, sendClaimed } from "./sender.ts";

export interface SweepOptions {
  /** The function's source (`/tavola/<name>`): a function sweeps only its own rows. */
  source: string;
  /** Rows claimed per sweep; the rest wait for the next ping (default 25). */
  batchSize?: number;
  /** How long claimed rows are held (default 120 s: the batch times the send timeout, with room). */
  leaseSeconds?: number;
  /**
   * After this many failed sends in a row the broker is taken to be away: the rest of the batch is
   * released untried, so an outage does not spend every row's attempts at once (default 3).
   */
  stopAfterFailures?: number;
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
 * row that fails its last attempt is abandoned (logged, counted) while the rest keep flowing.
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
  const rows = await claimPending(
    deps.db,
    options.source,
    options.batchSize ?? 25,
    options.leaseSeconds ?? 120,
  );
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
  if (report.claimed > 0) deps.logger.info("outbox swept", { source: options.source, ...report });
  return report;
}

function count(report: SweepReport, metrics: EventMetrics | undefined, source: string, outcome: SendOutcome) {
  report[outcome] += 1;
  metrics?.increment("tavola_outbox_swept_total", { source, outcome });
  if (outcome === "abandoned") metrics?.increment("tavola_outbox_abandoned_total", { source });
}
