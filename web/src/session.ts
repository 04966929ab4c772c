import type { TavolaSchemas } from "../../client/index.ts";

type TokenPair = TavolaSchemas["TokenPair"];

interface Tokens {
  access: string;
  refresh: string;
  /** When the access token expires (ms since the epoch). */
  expiresAt: number;
}

/** The slice of the Web Storage API the session uses (sessionStorage in the browser). */
export interface TokenStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface Session {
  /** A current access token, refreshed first when it is about to expire; undefined when logged out. */
  accessToken(): Promise<string | undefined>;
  signedIn(): boolean;
  /** Keeps the pair POST /api/token (or /refresh) answered. */
  store(pair: TokenPair): void;
  /** Forgets the tokens (and revokes the refresh token's family at the API). */
  signOut(): Promise<void>;
  /** Called with the new state whenever the tokens come or go. */
  subscribe(listener: (signedIn: boolean) => void): () => void;
}

const KEY = "tavola.tokens";
/** Refresh this long before the access token expires, so no request carries one that just ran out. */
const MARGIN_MS = 30_000;

/**
 * The tokens live in memory and in sessionStorage (so a reload keeps the login, a new tab or a closed
 * browser does not). The access token is refreshed with the refresh token shortly before it expires;
 * concurrent callers share one refresh, since the API spends a refresh token on use and presenting it
 * twice would revoke the whole login.
 */
export function createSession(deps: { storage: TokenStore; baseUrl: string; fetch: typeof fetch }): Session {
  let tokens = read(deps.storage);
  let refreshing: Promise<void> | undefined;
  const listeners = new Set<(signedIn: boolean) => void>();

  function set(next: Tokens | undefined) {
    tokens = next;
    if (next) deps.storage.setItem(KEY, JSON.stringify(next));
    else deps.storage.removeItem(KEY);
    for (const listener of listeners) listener(next !== undefined);
  }

  async function refresh(current: Tokens): Promise<void> {
    const response = await deps.fetch(`${deps.baseUrl}/api/token/refresh`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refresh: current.refresh }),
    });
    if (!response.ok) return set(undefined);
    set(fromPair((await response.json()) as TokenPair));
  }

  return {
    async accessToken() {
      const current = tokens;
      if (!current) return undefined;
      if (current.expiresAt - Date.now() > MARGIN_MS) return current.access;
      refreshing ??= refresh(current).finally(() => {
        refreshing = undefined;
      });
      await refreshing.catch(() => undefined);
      return tokens?.access;
    },
    signedIn: () => tokens !== undefined,
    store: (pair) => set(fromPair(pair)),
    async signOut() {
      const current = tokens;
      set(undefined);
      if (!current) return;
      await deps
        .fetch(`${deps.baseUrl}/api/token/revoke`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ refresh: current.refresh }),
        })
        .catch(() => undefined);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function fromPair(pair: TokenPair): Tokens {
  return { access: pair.access, refresh: pair.refresh, expiresAt: Date.now() + pair.expires_in * 1000 };
}

function read(storage: TokenStore): Tokens | undefined {
  try {
    const value = JSON.parse(storage.getItem(KEY) ?? "null") as Partial<Tokens> | null;
    if (
      typeof value?.access === "string" &&
      typeof value.refresh === "string" &&
      typeof value.expiresAt === "number"
    )
      return { access: value.access, refresh: value.refresh, expiresAt: value.expiresAt };
  } catch {
    // A value this app did not write: start logged out.
  }
  return undefined;
}
