import { sleep } from "./processes.ts";

// A client that keeps ordering through a failover as a well-behaved API client would: it fills its cart,
// checks out with an Idempotency-Key, and on an answer that says "try again" (503, a 409 for a key still
// being processed) or a broken connection it retries the same request with the same key until it gets
// its order. Every attempt is recorded, so the test can say when the API was unavailable.

/**
 * The one call the client makes of an API client: a request with a token and a JSON body or headers,
 * answered with its status, headers and parsed body. The end-to-end harness's HTTP client is one; db/
 * names only this shape, so it depends on nothing of functions/.
 */
export interface ApiRequest {
  request(
    method: string,
    path: string,
    options: { token?: string; json?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Headers; body: unknown }>;
}

export interface Attempt {
  what: "cart" | "checkout";
  start: number;
  end: number;
  /** The HTTP status, or 0 when the connection failed. */
  status: number;
}

export interface PlacedOrder {
  key: string;
  orderId: number;
  /** Whether the answer was a replay of an earlier attempt's (Idempotent-Replayed). */
  replayed: boolean;
}

const RETRY_AFTER_MS = 100;
const MAX_ATTEMPTS = 600;

/** True for answers after which the same request may be sent again. */
function retryable(status: number): boolean {
  return status === 0 || status === 503 || status === 502 || status === 409;
}

export function checkoutClient(api: ApiRequest, token: string, menuItemId: number) {
  const attempts: Attempt[] = [];
  const placed: PlacedOrder[] = [];

  async function send(
    what: Attempt["what"],
    method: string,
    path: string,
    options: Parameters<ApiRequest["request"]>[2],
  ) {
    const start = performance.now();
    try {
      const answer = await api.request(method, path, { token, ...options });
      attempts.push({ what, start, end: performance.now(), status: answer.status });
      return answer;
    } catch {
      attempts.push({ what, start, end: performance.now(), status: 0 });
      return { status: 0, headers: new Headers(), body: null };
    }
  }

  /** Empties the cart and puts one item in it; repeated as a pair until the item is in. */
  async function fillCart(): Promise<void> {
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const emptied = await send("cart", "DELETE", "/api/cart/menu-items", {});
      if (emptied.status === 204) {
        const added = await send("cart", "POST", "/api/cart/menu-items", {
          json: { menuitem: menuItemId, quantity: 1 },
        });
        if (added.status === 201) return;
        if (!retryable(added.status))
          throw new Error(`add to cart: ${added.status} ${JSON.stringify(added.body)}`);
      } else if (!retryable(emptied.status)) throw new Error(`empty cart: ${emptied.status}`);
      await sleep(RETRY_AFTER_MS);
    }
    throw new Error("the cart never filled");
  }

  /** One order: fill the cart, check out under a fresh key, retry the checkout until it answers. */
  async function order(): Promise<PlacedOrder> {
    await fillCart();
    const key = crypto.randomUUID();
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const answer = await send("checkout", "POST", "/api/cart/orders", {
        headers: { "idempotency-key": key },
      });
      if (answer.status === 201 || answer.status === 200) {
        const result = {
          key,
          orderId: Number((answer.body as { id?: unknown }).id),
          replayed: answer.headers.get("idempotent-replayed") === "true",
        };
        placed.push(result);
        return result;
      }
      if (!retryable(answer.status))
        throw new Error(`checkout: ${answer.status} ${JSON.stringify(answer.body)}`);
      await sleep(RETRY_AFTER_MS);
    }
    throw new Error(`checkout ${key} never succeeded`);
  }

  return { order, attempts, placed };
}

/**
 * How long the API was unavailable: the longest time between one successful answer and the next, over
 * all clients, counting only the stretches that had a failed attempt in them.
 */
export function unavailability(attempts: readonly Attempt[]): { ms: number; failedAttempts: number } {
  const ok = (a: Attempt) => a.status >= 200 && a.status < 300;
  const sorted = [...attempts].sort((a, b) => a.end - b.end);
  let lastOk: number | undefined;
  let failedSince = false;
  let longest = 0;
  for (const a of sorted) {
    if (ok(a)) {
      if (failedSince && lastOk !== undefined) longest = Math.max(longest, a.end - lastOk);
      lastOk = a.end;
      failedSince = false;
    } else failedSince = true;
  }
  return { ms: longest, failedAttempts: attempts.filter((a) => !ok(a)).length };
}
