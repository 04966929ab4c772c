import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

// scrypt with N=2^15, r=8: 32 MiB and ~50 ms per hash, OWASP's minimum for scrypt.
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEM = 128 * N * R * 2;

/** A cap on how many hashes one process computes at once, so a burst of logins cannot exhaust memory. */
export interface HashLimiter {
  run<T>(task: () => Promise<T>): Promise<T>;
}

/** A FIFO limiter allowing `concurrency` tasks at once. */
export function createHashLimiter(concurrency: number): HashLimiter {
  let active = 0;
  const queue: (() => void)[] = [];
  return {
    async run(task) {
      if (active >= concurrency) await new Promise<void>((resolve) => queue.push(resolve));
      active++;
      try {
        return await task();
      } finally {
        active--;
        queue.shift()?.();
      }
    },
  };
}

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, { N: n, r, p, maxmem: MAX_MEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string, limiter?: HashLimiter): Promise<string> {
  const salt = randomBytes(16);
  const key = await (limiter
    ? limiter.run(() => derive(password, salt, N, R, P))
    : derive(password, salt, N, R, P));
  return ["scrypt", N, R, P, salt.toString("base64url"), key.toString("base64url")].join("$");
}

// A hash of nothing anyone knows: checked against when the user does not exist, so an unknown username
// costs exactly the work of a wrong password and the timing tells nothing.
const DUMMY_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString("base64url")}$${Buffer.alloc(KEY_LENGTH).toString("base64url")}`;

/**
 * Checks a password against a stored hash in constant time. With `stored` undefined (no such user) the
 * same work is done against a dummy hash and the answer is false.
 */
export async function verifyPassword(
  password: string,
  stored: string | undefined,
  limiter?: HashLimiter,
): Promise<boolean> {
  const parts = (stored ?? DUMMY_HASH).split("$");
  const usable = parts.length === 6 && parts[0] === "scrypt";
  const [, n, r, p, salt, hash] = usable ? parts : DUMMY_HASH.split("$");
  const expected = Buffer.from(hash!, "base64url");
  const work = () => derive(password, Buffer.from(salt!, "base64url"), Number(n), Number(r), Number(p));
  const actual = await (limiter ? limiter.run(work) : work());
  return (
    stored !== undefined && usable && actual.length === expected.length && timingSafeEqual(actual, expected)
  );
}
