import { z } from "zod";

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .pipe(z.url().optional())
  .optional();

const boolish = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/** What every function reads from its environment. */
export const baseConfigSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  /** The address to listen on; 127.0.0.1 keeps a local run off the network. */
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  DATABASE_URL: optionalUrl,
  /** Where the embedded database and local keys live when DATABASE_URL is unset. */
  DATA_DIR: z.string().min(1).default(".data"),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** The broker's ingress; Knative's SinkBinding sets it. Unset: events wait in the outbox. */
  K_SINK: optionalUrl,
  TOKEN_ISSUER: z.string().min(1).default("tavola-auth"),
  TOKEN_AUDIENCE: z.string().min(1).default("tavola"),
  /** The public key that verifies access tokens: a JWK (JSON) or an SPKI PEM. Unset locally: read from DATA_DIR. */
  JWT_PUBLIC_KEY: z.string().min(1).optional(),
  /**
   * The OIDC issuer whose tokens `/events` accepts (the cluster's service-account issuer, e.g.
   * https://kubernetes.default.svc). Unset: every delivery is refused, unless the local stack supplies
   * its broker's issuer.
   */
  EVENTS_OIDC_ISSUER: optionalUrl,
  /** Senders `/events` accepts, comma-separated token subjects (`*` at the end matches any rest); unset: any. */
  EVENTS_OIDC_SUBJECTS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  /** A bearer token for the issuer's discovery and JWKS (the API server wants one); re-read on discovery. */
  EVENTS_OIDC_TOKEN_FILE: z.string().min(1).optional(),
  /** A token the publisher presents to the broker's ingress (a projected service-account token); re-read per send. */
  K_SINK_TOKEN_FILE: z.string().min(1).optional(),
  /** Requests per client per window before 429 (0 turns throttling off). */
  THROTTLE_LIMIT: z.coerce.number().int().min(0).default(300),
  THROTTLE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  /**
   * Take the client's address from X-Forwarded-For. Only behind a proxy that overwrites the header (the
   * cluster's gateway does); off by default, since a client that reaches a function directly would pick
   * its own throttle key.
   */
  TRUST_PROXY: boolish.default(false),
  /**
   * Live updates (docs/live-updates.md): a stream ends after this many seconds and the client reconnects
   * with Last-Event-ID. Keep it below the Knative Service's timeoutSeconds (knative/base/functions), so
   * the platform never cuts a stream and an unwatched pod can scale to zero.
   */
  LIVE_STREAM_MAX_SECONDS: z.coerce.number().int().min(1).max(3600).default(240),
  /** Seconds between `: keep-alive` comments on an open stream (proxies drop silent connections). */
  LIVE_KEEPALIVE_SECONDS: z.coerce.number().int().min(1).max(300).default(15),
  /** How often a pod with at least one open stream reads the change feed, in milliseconds. */
  LIVE_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /**
   * Origins whose browser pages may call the API, comma-separated, or `*` for any (tokens travel in a
   * header, no cookies are used). Unset: no CORS headers. `npm start` sets `*`.
   */
  CORS_ALLOWED_ORIGINS: z
    .string()
    .trim()
    .transform((v) =>
      v
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(z.union([z.literal("*"), z.url({ message: "must be * or origins like https://example.com" })])),
    )
    .default([]),
});

/** The auth function also signs tokens and hashes passwords. */
export const authConfigSchema = baseConfigSchema.extend({
  /** The private signing key: a JWK (JSON) or a PKCS#8 PEM. Unset locally: generated once under DATA_DIR. */
  JWT_PRIVATE_KEY: z.string().min(1).optional(),
  JWT_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/)
    .optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(600),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(14 * 86_400),
  /** Failed logins for one username from one client within the window before that client gets 429. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  /** Failed logins for one username from all clients within the window before every client gets 429. */
  LOGIN_MAX_FAILURES_PER_USERNAME: z.coerce.number().int().min(1).default(100),
  LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Password hashes computed at once by one process; the rest wait (scrypt takes 64 MiB each). */
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
});

/** Seeding reads the admin's credentials; generated and printed when unset. */
export const seedConfigSchema = baseConfigSchema.extend({
  ADMIN_USERNAME: z.string().min(1).default("admin"),
  ADMIN_PASSWORD: z.string().min(8).optional(),
});

/** `npm start`: the seed's settings, listening on loopback unless HOST says otherwise (it prints the admin's password). */
export const localConfigSchema = seedConfigSchema.extend({
  HOST: z.string().trim().min(1).default("127.0.0.1"),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;
export type AuthConfig = z.infer<typeof authConfigSchema>;
export type SeedConfig = z.infer<typeof seedConfigSchema>;
