/**
 * One checkout attempt's Idempotency-Key. A click starts an attempt with a fresh key; a retry of an
 * attempt whose outcome is unknown (the network failed, the server answered 5xx or 429) sends the same
 * key, so the API answers the first result instead of placing a second order. An answer that settles
 * the attempt (success, or a 4xx the same request would get again) ends it, and a change to the cart
 * ends it too: the next click is a new attempt.
 */
export interface CheckoutAttempts {
  /** The key for this click: the unfinished attempt's, else a new one. */
  key(): string;
  /** Records how the attempt ended: `settled` ends it; otherwise its key is kept for the retry. */
  finish(settled: boolean): void;
  /** Whether an attempt is waiting for a retry (its outcome is unknown). */
  pending(): boolean;
  /** The cart changed: a later click is a new attempt. */
  reset(): void;
}

export function createCheckoutAttempts(newKey: () => string): CheckoutAttempts {
  let current: string | undefined;
  return {
    key: () => {
      current ??= newKey();
      return current;
    },
    finish(settled) {
      if (settled) current = undefined;
    },
    pending: () => current !== undefined,
    reset() {
      current = undefined;
    },
  };
}

/** Whether an answer settles a checkout: anything but a failure that the same request might not meet again. */
export function settles(status: number | undefined): boolean {
  return status !== undefined && status < 500 && status !== 429 && status !== 408;
}
