import type { BuiltBundle } from "./bundles.ts";
import type { BenchDatabase, Seeded } from "./database.ts";
import type { ReadyProbe, ServerSpec } from "./process.ts";
import type { Figure } from "./report.ts";
import type { Settings } from "./settings.ts";
import type { BenchKeys } from "./tokens.ts";

// What every section of the harness shares: the database, the seeded rows, tokens, bundles, settings,
// and where figures and notes are collected.

export interface BenchContext {
  root: string;
  settings: Settings;
  database: BenchDatabase;
  seeded: Seeded;
  keys: BenchKeys;
  /** One token per seeded customer, same order as `seeded.customers`. */
  customerTokens: string[];
  managerToken: string;
  crewToken: string;
  /** Function bundles by name, and the baseline's. */
  bundles: Map<string, BuiltBundle>;
  baseline: BuiltBundle;
  dataDir: string;
  /** NODE_OPTIONS the functions ship with (knative/base/config.yaml); the baseline runs with Node's defaults. */
  shippedNodeOptions: string;
  /** Extra `node` flags for every server under test, function and baseline alike (`--node-flags=`). */
  nodeFlags: string[];
  /** `--install-pgbouncer`: the bench may install Debian's pgbouncer package when it is missing. */
  installPgBouncer: boolean;
  /** Only these routes in the throughput section (`--routes=`); all when undefined. */
  routes?: string[] | undefined;
  /** K_SINK of every server under test: a stand-in broker ingress that accepts every event with 202. */
  sinkUrl: string;
  figures: Figure[];
  notes: string[];
  /** Raw results by section, for the JSON file. */
  raw: Record<string, unknown>;
  log(message: string): void;
}

/** The environment a function gets, as its Knative Service would set it. */
export function functionEnv(
  ctx: BenchContext,
  databaseUrl = ctx.database.url,
  extra: Record<string, string> = {},
) {
  return {
    DATABASE_URL: databaseUrl,
    JWT_PUBLIC_KEY: ctx.keys.publicJwk,
    JWT_PRIVATE_KEY: ctx.keys.privateJwk,
    JWT_KEY_ID: ctx.keys.keyId,
    LOG_LEVEL: "warn",
    THROTTLE_LIMIT: "0",
    DB_POOL_MAX: String(ctx.settings.poolSize),
    DATA_DIR: ctx.dataDir,
    NODE_ENV: "production",
    K_SINK: ctx.sinkUrl,
    ...(ctx.shippedNodeOptions ? { NODE_OPTIONS: ctx.shippedNodeOptions } : {}),
    ...extra,
  };
}

/** The first database-backed request each function answers (its start counts until then). */
export function readyProbe(ctx: BenchContext, name: string): ReadyProbe {
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  switch (name) {
    case "menu":
    case "baseline":
      return { path: `/api/menu-items/${ctx.seeded.itemIds[0]}` };
    case "cart":
      return { path: "/api/cart/menu-items", headers: bearer(ctx.customerTokens[0]!) };
    case "order":
      return { path: "/api/orders", headers: bearer(ctx.customerTokens[0]!) };
    case "delivery":
      return { path: "/api/deliveries", headers: bearer(ctx.crewToken) };
    case "auth":
      return { path: "/api/users/me", headers: bearer(ctx.customerTokens[0]!) };
    default:
      throw new Error(`no ready probe for ${name}`);
  }
}

/** How to start a function's production bundle alone. */
export function functionSpec(
  ctx: BenchContext,
  name: string,
  port: number,
  databaseUrl?: string,
): ServerSpec {
  const bundle = ctx.bundles.get(name);
  if (!bundle) throw new Error(`no bundle for ${name}`);
  return { name, args: [...ctx.nodeFlags, bundle.file], env: functionEnv(ctx, databaseUrl), port };
}

/** How to start the baseline's bundle (built with the same options as the functions'). */
export function baselineSpec(ctx: BenchContext, port: number, databaseUrl = ctx.database.url): ServerSpec {
  return {
    name: "baseline",
    args: [...ctx.nodeFlags, ctx.baseline.file],
    env: {
      DATABASE_URL: databaseUrl,
      JWT_PUBLIC_KEY: ctx.keys.publicJwk,
      DB_POOL_MAX: String(ctx.settings.poolSize),
      NODE_ENV: "production",
      K_SINK: ctx.sinkUrl,
    },
    port,
  };
}
