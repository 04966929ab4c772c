import { performance } from "node:perf_hooks";
import pg from "pg";

// Knows the moment a delivery row becomes visible without polling: a trigger in the bench database (and
// only there) NOTIFYs on every insert into deliveries, and PostgreSQL delivers a notification when the
// inserting transaction commits, which is exactly when other sessions can see the row.

const CHANNEL = "tavola_bench_delivery";

export interface DeliveryWatch {
  /** Resolves with performance.now() of the commit of the delivery row of this order. */
  visible(orderId: number, timeoutMs?: number): Promise<number>;
  /** How many delivery rows became visible since the watch started. */
  seen(): number;
  close(): Promise<void>;
}

export async function watchDeliveries(databaseUrl: string): Promise<DeliveryWatch> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`create or replace function tavola_bench_notify_delivery() returns trigger language plpgsql as $$
    begin perform pg_notify('${CHANNEL}', new.order_id::text); return new; end $$`);
  await client.query(`create or replace trigger tavola_bench_delivery_visible after insert on deliveries
    for each row execute function tavola_bench_notify_delivery()`);
  const arrived = new Map<number, number>();
  const waiting = new Map<number, (at: number) => void>();
  let count = 0;
  client.on("notification", (message) => {
    const at = performance.now();
    const orderId = Number(message.payload);
    count++;
    const resolve = waiting.get(orderId);
    if (resolve) {
      waiting.delete(orderId);
      resolve(at);
    } else arrived.set(orderId, at);
  });
  await client.query(`listen ${CHANNEL}`);
  return {
    visible(orderId, timeoutMs = 10_000) {
      const at = arrived.get(orderId);
      if (at !== undefined) {
        arrived.delete(orderId);
        return Promise.resolve(at);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(orderId);
          reject(new Error(`no delivery row for order ${orderId} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(orderId, (t) => {
          clearTimeout(timer);
          resolve(t);
        });
      });
    },
    seen: () => count,
    close: async () => {
      await client.query("drop trigger if exists tavola_bench_delivery_visible on deliveries");
      await client.end();
    },
  };
}
