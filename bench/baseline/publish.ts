import http from "node:http";
import type pg from "pg";

// The baseline's publish-after-commit: claim the request's outbox rows, POST each to K_SINK as a
// binary-mode CloudEvent, mark it sent: the same statements as the functions' publisher, with node:http
// (keep-alive) instead of fetch.

const CLAIM =
  'update "outbox" set "lease_until" = now() + make_interval(secs => $1) where "id" in ($2) and "status" = $3 and (lease_until is null or lease_until <= now()) returning *';
const MARK_SENT =
  'update "outbox" set "status" = $1, "sent_at" = now(), "attempts" = attempts + 1, "lease_until" = $2, "last_error" = $3 where "id" = $4 and "status" = $5';

interface OutboxRow {
  id: string;
  source: string;
  type: string;
  subject: string;
  data: unknown;
  created_at: Date;
}

const agent = new http.Agent({ keepAlive: true });

export async function publish(pool: pg.Pool, sink: string | undefined, id: string): Promise<void> {
  if (!sink) return;
  const { rows } = await pool.query<OutboxRow>(CLAIM, [30, id, "pending"]);
  for (const row of rows) {
    await post(sink, row);
    await pool.query(MARK_SENT, ["sent", null, null, row.id, "pending"]);
  }
}

function post(sink: string, row: OutboxRow): Promise<void> {
  const body = JSON.stringify(row.data);
  return new Promise((resolve, reject) => {
    const request = http.request(
      sink,
      {
        method: "POST",
        agent,
        timeout: 1_000,
        headers: {
          "content-type": "application/json",
          "ce-specversion": "1.0",
          "ce-id": row.id,
          "ce-source": row.source,
          "ce-type": row.type,
          "ce-subject": row.subject,
          "ce-time": row.created_at.toISOString(),
          "content-length": Buffer.byteLength(body),
        },
      },
      (response) => {
        response.resume();
        response.on("end", () =>
          (response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300
            ? resolve()
            : reject(new Error(`the broker answered ${response.statusCode}`)),
        );
      },
    );
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", reject);
    request.end(body);
  });
}
