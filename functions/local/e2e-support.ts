import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import type { Kysely } from "kysely";
import { afterAll, beforeAll } from "vitest";
import { seed } from "../../db/seed.ts";
import { baseConfigSchema } from "../../shared/config/schema.ts";
import type { Database } from "../../shared/db/types.ts";
import { loadOrCreateLocalKeys } from "../../shared/runtime/local-keys.ts";
import { verifierFromConfig } from "../../shared/runtime/verifier.ts";
import { quietLogger } from "../../shared/testing/event-fixtures.ts";
import { uniqueName } from "../../shared/testing/fixtures.ts";
import { type TestKeys, testKeysFrom } from "../../shared/testing/keys.ts";
import { FUNCTIONS } from "../registry.ts";
import { createContractChecker } from "./contract.ts";
import { createLocalStack, type LocalStack } from "./stack.ts";

// The end-to-end tests' harness: the real five functions assembled as `npm start` assembles them (seeded
// database, the auth function's own key pair under a DATA_DIR that every other function verifies with,
// the local broker), served on an ephemeral port, and a client that talks to it over real HTTP.

export interface E2eStack {
  /** Where the gateway listens, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  stack: LocalStack;
  /** The seeded admin (a manager), with the password the seed generated. */
  admin: { username: string; password: string };
  /**
   * Test keys over the auth function's own signing pair (under the stack's DATA_DIR): tokens minted
   * with them are accepted by every function, as a logged-in user's are.
   */
  keys: TestKeys;
  close(): Promise<void>;
}

/**
 * Seeds the database, starts every function behind the gateway and the broker, and listens. `env` adds
 * to the functions' environment (the security suite turns the throttle off: it sends hundreds of
 * requests as one client).
 */
export async function startE2eStack(
  db: Kysely<Database>,
  options: { timeScale?: number; env?: Record<string, string> } = {},
) {
  const dataDir = await mkdtemp(join(tmpdir(), "tavola-e2e-"));
  const env = { ...options.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" };
  const config = baseConfigSchema.parse(env);
  const seeded = await seed(db, { adminUsername: "admin" });
  if (!seeded.adminPassword) throw new Error("startE2eStack needs a fresh database (the admin exists)");
  const stack = await createLocalStack({
    functions: FUNCTIONS,
    env,
    config,
    db,
    logger: quietLogger,
    // What auth signs with when JWT_PRIVATE_KEY is unset: the local pair under DATA_DIR, as `npm start`.
    verify: await verifierFromConfig(config),
    ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: stack.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stack,
    admin: { username: seeded.adminUsername, password: seeded.adminPassword },
    keys: testKeysFrom(await loadOrCreateLocalKeys(dataDir)),
    async close() {
      await stack.close();
      await new Promise((resolve) => server.close(resolve));
      await rm(dataDir, { recursive: true, force: true });
    },
  } satisfies E2eStack;
}

export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field in assertions
  body: any;
}

export interface RequestOptions {
  /** An access token, sent as `Bearer` (or as djoser's `Token` with `scheme`). */
  token?: string | undefined;
  scheme?: "Bearer" | "Token";
  json?: unknown;
  /** A form-encoded body, as Little Lemon clients send it. */
  form?: Record<string, string | number>;
  headers?: Record<string, string>;
}

/**
 * A client of one running stack, over real HTTP with the global `fetch`. Every answer it receives is
 * checked against the OpenAPI document (status and body), so the document cannot drift from the code.
 */
export function httpClient(baseUrl: string) {
  const contract = createContractChecker();
  async function request(method: string, path: string, options: RequestOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `${options.scheme ?? "Bearer"} ${options.token}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    } else if (options.form !== undefined) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      const form = Object.entries(options.form).map(([k, v]): [string, string] => [k, String(v)]);
      body = new URLSearchParams(form).toString();
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : null;
    contract.check(method, path, response.status, response.headers.get("content-type"), parsed);
    return { status: response.status, headers: response.headers, body: parsed };
  }

  /** Registers a user through `/api/users` (form-encoded, as Little Lemon clients do). */
  async function register(prefix = "user"): Promise<{ id: number; username: string; password: string }> {
    const username = uniqueName(prefix);
    const password = `pw-${crypto.randomUUID()}`;
    const answer = await request("POST", "/api/users", { form: { username, password } });
    if (answer.status !== 201) throw new Error(`register ${username}: ${answer.status}`);
    return { id: answer.body.id, username, password };
  }

  /** Logs in through `/api/token` and answers the access token. */
  async function logIn(user: { username: string; password: string }): Promise<string> {
    const answer = await request("POST", "/api/token", {
      json: { username: user.username, password: user.password },
    });
    if (answer.status !== 200) throw new Error(`log in ${user.username}: ${answer.status}`);
    return answer.body.access;
  }

  return { request, register, logIn };
}

export type HttpClient = ReturnType<typeof httpClient>;

/**
 * A test file's running stack (E2eStack but for close, which the file's afterAll calls), its client and
 * the seeded manager's token; see useE2eStack.
 */
export interface E2eSession extends Omit<E2eStack, "close"> {
  readonly api: HttpClient;
  /** The seeded admin's access token: a manager's. */
  readonly manager: string;
  /** Waits until every chain of events the broker is routing has finished. */
  settled(): Promise<void>;
}

/**
 * Starts the stack over the test file's database before its tests and closes it after them, as the
 * end-to-end suites all do, with a client and the manager logged in. Like useTestDb, the answer is read
 * inside tests: the stack exists only once beforeAll has run.
 */
export function useE2eStack(
  t: { readonly db: Kysely<Database> },
  options: Parameters<typeof startE2eStack>[1] = {},
): E2eSession {
  let current: { e2e: E2eStack; api: HttpClient; manager: string } | undefined;
  beforeAll(async () => {
    const e2e = await startE2eStack(t.db, options);
    const api = httpClient(e2e.baseUrl);
    current = { e2e, api, manager: "" };
    current.manager = await api.logIn(e2e.admin);
  }, 60_000);
  afterAll(async () => {
    await current?.e2e.close();
  });
  const started = () => {
    if (!current) throw new Error("useE2eStack: the stack starts in beforeAll; use it inside tests");
    return current;
  };
  return {
    get baseUrl() {
      return started().e2e.baseUrl;
    },
    get stack() {
      return started().e2e.stack;
    },
    get admin() {
      return started().e2e.admin;
    },
    get keys() {
      return started().e2e.keys;
    },
    get api() {
      return started().api;
    },
    get manager() {
      return started().manager;
    },
    settled: () => started().e2e.stack.broker.settled(),
  };
}
