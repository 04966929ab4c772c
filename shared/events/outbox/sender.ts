import http from "node:http";
import https from "node:https";
import type { Kysely } from "kysely";
import type { Database, OutboxRow } from "../../db/types.ts";
import type { Logger } from "../../log.ts";
import { binaryHeaders } from "../receive/cloudevent.ts";
import { markFailed, markSent } from "./store.ts";

/** A `fetch` as the sender uses it; tests and the local stack hand in an in-process one. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Sends one outbox row to the broker; throws when the broker did not take it. */
export type SendEvent = (row: OutboxRow) => Promise<void>;

/**
 * Sends outbox rows to `sink` (K_SINK) as binary-mode CloudEvents whose `id` is the row id, so every
 * attempt of one event carries the same id. Anything but a 2xx within `timeoutMs` is a failure.
 */
export function createSinkSender(options: { sink: string; timeoutMs: number; fetch?: FetchLike }): SendEvent {
  const send = options.fetch ?? createNodeFetch();
  return async function sendToSink(row) {
    const response = await send(options.sink, {
      method: "POST",
      headers: binaryHeaders({
        specversion: "1.0",
        id: row.id,
        source: row.source,
        type: row.type,
        subject: row.subject,
        time: row.created_at.toISOString(),
      }),
      body: JSON.stringify(row.data),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    // Read the body so the connection can be reused; its content does not matter.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`the broker answered ${response.status}`);
  };
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * A FetchLike over node:http(s) with a keep-alive agent of its own. The global fetch costs more CPU per
 * call (bench/README.md, "Figures behind code choices"), and every checkout pays one call before it
 * answers. Honours `init.signal` (a timeout rejects with the signal's reason, a TimeoutError).
 */
export function createNodeFetch(): FetchLike {
  const agents = {
    "http:": new http.Agent({ keepAlive: true }),
    "https:": new https.Agent({ keepAlive: true }),
  };
  return (url, init) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const protocol = target.protocol === "https:" ? "https:" : "http:";
      const body = typeof init.body === "string" ? init.body : "";
      const signal = init.signal ?? undefined;
      const request = (protocol === "https:" ? https : http).request(
        target,
        {
          method: init.method ?? "GET",
          headers: { ...plainHeaders(init.headers), "content-length": String(Buffer.byteLength(body)) },
          agent: agents[protocol],
          ...(signal ? { signal } : {}),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            const status = response.statusCode ?? 0;
            if (status < 200 || status > 599) return reject(new Error(`the broker answered ${status}`));
            const payload =
              NULL_BODY_STATUSES.has(status) || chunks.length === 0 ? null : Buffer.concat(chunks);
            resolve(new Response(payload, { status }));
          });
        },
      );
      request.on("error", (error) => reject(signal?.aborted ? signal.reason : error));
      request.end(body);
    });
}

function plainHeaders(headers: RequestInit["headers"]): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(new Headers(headers));
  return headers as Record<string, string>;
}

/** How many attempts an outbox row gets, and how long it waits after each failure. */
export interface RetryPolicy {
  maxAttempts: number;
  /** Seconds a row waits after its `attempts`-th failed attempt before anyone tries it again. */
  retryDelaySeconds(attempts: number): number;
}

/**
 * The default: the first retry at the next sweep, then 30 s doubling up to an hour, ten attempts in
 * all, so a broker that is away for about two hours loses nothing before rows are abandoned.
 */
export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 10,
  retryDelaySeconds: (attempts) => (attempts <= 1 ? 0 : Math.min(3600, 30 * 2 ** (attempts - 2))),
};

export type SendOutcome = "sent" | "failed" | "abandoned";

/**
 * Sends one claimed row and records the outcome on it: sent, failed (pending again after the policy's
 * delay) or abandoned after its last attempt (logged as an error for an operator). Never throws for a
 * failed send; a database failure while recording is thrown.
 */
export async function sendClaimed(
  deps: { db: Kysely<Database>; send: SendEvent; logger: Logger; policy: RetryPolicy },
  row: OutboxRow,
): Promise<SendOutcome> {
  try {
    await deps.send(row);
  } catch (error) {
    const message = describe(error);
    const attempts = row.attempts + 1;
    const state = await markFailed(deps.db, row.id, message, {
      maxAttempts: deps.policy.maxAttempts,
      retryInSeconds: deps.policy.retryDelaySeconds(attempts),
    });
    if (state?.status === "abandoned") {
      deps.logger.error("outbox event abandoned", {
        eventId: row.id,
        type: row.type,
        source: row.source,
        attempts: state.attempts,
        error: message,
      });
      return "abandoned";
    }
    deps.logger.warn("event not sent; the sweep will retry", { eventId: row.id, attempts, error: message });
    return "failed";
  }
  await markSent(deps.db, row.id);
  return "sent";
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError") return "the broker did not answer in time";
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return cause ? `${error.message} (${cause})` : error.message;
  }
  return String(error);
}
