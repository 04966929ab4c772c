import { z } from "zod";
import { docOf, type OperationDoc, type ResponseBody } from "./meta.ts";
import { problemSchema, STATUS_TEXT } from "./schemas.ts";

/** An OpenAPI 3.1 document, as plain JSON. */
export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, unknown>>;
  components: {
    schemas: Record<string, unknown>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
  tags?: { name: string; description?: string }[];
  [extra: string]: unknown;
}

interface RouteEntry {
  method: string;
  path: string;
  handler: unknown;
}

export interface GenerateOptions {
  title: string;
  version: string;
  description?: string;
  /** The tag every operation of this app gets (the function's name). */
  tag: string;
  /** Paths that exist but are not public (the broker's /events), left out. */
  exclude?: (path: string) => boolean;
}

export const SECURITY_SCHEMES = {
  bearer: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An access token from POST /api/token.",
  },
  token: {
    type: "apiKey",
    in: "header",
    name: "Authorization",
    description: 'djoser\'s form of the same access token: "Token <access token>".',
  },
} as const;

/**
 * Builds the OpenAPI 3.1 document of an app from its route table: every route whose chain carries a
 * description (`describe`, `body`, `query`, `requireAuth`, `requireRole`), with the schemas those
 * middlewares validate with, converted by zod's own `z.toJSONSchema`. Problem answers every route may
 * give (400 for input, 401/403 for auth, 429, 500, 503) are added from what the chain says.
 */
export function generateDocument(
  app: { routes: readonly RouteEntry[] },
  options: GenerateOptions,
): OpenApiDocument {
  const registry = new SchemaRegistry();
  const routes = app.routes.map((r) => ({
    method: r.method,
    path: r.path,
    doc: docOf(r.handler),
  }));
  const operations = new Map<string, { method: string; path: string; docs: OperationDoc[] }>();
  for (const route of routes) {
    if (route.method === "ALL" || !route.doc) continue;
    const path = normalisePath(route.path);
    if (options.exclude?.(path)) continue;
    const key = `${route.method} ${path}`;
    const op = operations.get(key) ?? { method: route.method, path, docs: [] };
    op.docs.push(route.doc);
    operations.set(key, op);
  }
  // Middleware mounted with `use` (auth over a whole sub-app) applies to the routes under its path.
  const shared = routes.filter((r) => r.method === "ALL" && r.doc);
  const paths: OpenApiDocument["paths"] = {};
  const ids = new Set<string>();
  for (const op of operations.values()) {
    const inherited = shared.filter((s) => covers(normalisePath(s.path), op.path)).map((s) => s.doc!);
    const doc = mergeDocs([...inherited, ...op.docs]);
    paths[op.path] ??= {};
    const operation = operationObject(op.path, doc, options.tag, registry);
    operation.operationId = uniqueId(ids, operationId(op.method, op.path, doc));
    paths[op.path]![op.method.toLowerCase()] = operation;
  }
  const responses = problemResponses(registry);
  return {
    openapi: "3.1.0",
    info: {
      title: options.title,
      version: options.version,
      ...(options.description ? { description: options.description } : {}),
    },
    tags: [{ name: options.tag }],
    paths: sortKeys(paths),
    components: { responses, schemas: registry.components(), securitySchemes: { ...SECURITY_SCHEMES } },
  };
}

function operationObject(
  path: string,
  doc: OperationDoc,
  tag: string,
  registry: SchemaRegistry,
): Record<string, unknown> {
  const parameters: unknown[] = [...pathParameters(path)];
  if (doc.query) parameters.push(...queryParameters(doc.query, registry));
  for (const header of doc.headers ?? [])
    parameters.push({
      name: header.name,
      in: "header",
      required: false,
      description: header.description,
      schema: { type: "string" },
    });
  const responses: Record<string, unknown> = {};
  for (const [status, body] of Object.entries(doc.responses ?? {}))
    responses[status] = response(Number(status), body, registry);
  const errors = new Set(doc.errors ?? []);
  if (doc.body || doc.query) errors.add(400);
  if (doc.body) for (const s of [413, 415]) errors.add(s);
  if (doc.auth) errors.add(401);
  if (doc.roles?.length) errors.add(403);
  if (/\{[^}]+\}/.test(path)) errors.add(404);
  for (const s of [405, 429, 500, 503]) errors.add(s);
  for (const status of [...errors].sort())
    responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };
  const roles = doc.roles?.length
    ? `Roles: ${doc.roles.join(" or ")}.`
    : doc.auth
      ? "Roles: any authenticated user."
      : "Anyone.";
  return {
    tags: [...(doc.tags ?? []), tag],
    ...(doc.summary ? { summary: doc.summary } : {}),
    description: [doc.description, roles].filter(Boolean).join("\n\n"),
    ...(doc.auth
      ? { security: [{ bearer: [] }, { token: [] }], "x-roles": doc.roles ?? ["customer"] }
      : { security: [] }),
    ...(parameters.length ? { parameters } : {}),
    ...(doc.body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: registry.input(doc.body) },
              "application/x-www-form-urlencoded": { schema: registry.input(doc.body) },
            },
          },
        }
      : {}),
    responses,
  };
}

/** `List menu items` → `listMenuItems`; without a summary, from the method and path. */
function operationId(method: string, path: string, doc: OperationDoc): string {
  const words = doc.summary ?? `${method.toLowerCase()} ${path}`;
  return words
    .replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ""))
    .replace(/^./, (ch) => ch.toLowerCase());
}

/** The same operation under a second path (Little Lemon's aliases) gets a numbered id. */
function uniqueId(ids: Set<string>, id: string): string {
  let candidate = id;
  for (let n = 2; ids.has(candidate); n++) candidate = `${id}${n}`;
  ids.add(candidate);
  return candidate;
}

/** Every problem answer once, referenced by the operations. */
function problemResponses(registry: SchemaRegistry): Record<string, unknown> {
  const statuses = Object.keys(STATUS_TEXT)
    .map(Number)
    .filter((s) => s >= 400);
  return Object.fromEntries(statuses.map((s) => [`Problem${s}`, problemResponse(s, registry)]));
}

function response(status: number, body: ResponseBody, registry: SchemaRegistry) {
  const description = STATUS_TEXT[status] ?? "OK";
  if (body === null) return { description };
  if ("mediaType" in body)
    return { description, content: { [body.mediaType]: { schema: registry.output(body.schema) } } };
  return { description, content: { "application/json": { schema: registry.output(body) } } };
}

function problemResponse(status: number, registry: SchemaRegistry) {
  const headers: Record<string, unknown> = {};
  if (status === 401) headers["WWW-Authenticate"] = { schema: { type: "string" } };
  if (status === 405) headers.Allow = { schema: { type: "string" } };
  if (status === 429 || status === 503) headers["Retry-After"] = { schema: { type: "string" } };
  return {
    description: STATUS_TEXT[status] ?? "Error",
    ...(Object.keys(headers).length ? { headers } : {}),
    content: { "application/problem+json": { schema: registry.output(problemSchema) } },
  };
}

function pathParameters(path: string) {
  return [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: /(^id|Id)$/.test(name!) ? { type: "integer", minimum: 1 } : { type: "string" },
  }));
}

function queryParameters(schema: z.ZodObject, registry: SchemaRegistry) {
  return Object.entries(schema.shape).map(([name, field]) => {
    const { $schema: _, ...json } = registry.input(field as z.ZodType) as Record<string, unknown>;
    return { name, in: "query", required: !(field as z.ZodType).safeParse(undefined).success, schema: json };
  });
}

function mergeDocs(docs: OperationDoc[]): OperationDoc {
  const merged: OperationDoc = {};
  for (const doc of docs) {
    Object.assign(merged, {
      ...doc,
      roles: merged.roles,
      errors: merged.errors,
      responses: merged.responses,
    });
    // A guard mounted for both `/prefix` and `/prefix/*` covers the prefix twice: one role, said once.
    if (doc.roles) merged.roles = [...new Set([...(merged.roles ?? []), ...doc.roles])];
    if (doc.errors) merged.errors = [...(merged.errors ?? []), ...doc.errors];
    if (doc.responses) merged.responses = { ...merged.responses, ...doc.responses };
    if (doc.roles) merged.auth = true;
  }
  return merged;
}

/** Hono's `/api/orders/:id` as OpenAPI's `/api/orders/{id}`, without a trailing slash. */
function normalisePath(path: string): string {
  const p = path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}").replace(/\/+$/, "");
  return p === "" ? "/" : p;
}

function covers(pattern: string, path: string): boolean {
  if (pattern === "/*" || pattern === "*") return true;
  if (pattern.endsWith("/*")) {
    const base = pattern.slice(0, -2);
    return path === base || path.startsWith(`${base}/`);
  }
  return pattern === path;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Converts zod schemas to JSON Schema once each. Schemas with a `meta({id})` become components and are
 * referenced; every other schema is inlined.
 */
class SchemaRegistry {
  readonly #components: Record<string, unknown> = {};

  input(schema: z.ZodType): unknown {
    return this.#convert(schema, "input");
  }

  output(schema: z.ZodType): unknown {
    return this.#convert(schema, "output");
  }

  components(): Record<string, unknown> {
    return sortKeys(this.#components);
  }

  #convert(schema: z.ZodType, io: "input" | "output"): unknown {
    const suffix = io === "input" ? "Input" : "";
    const converted = z.toJSONSchema(schema, {
      io,
      target: "draft-2020-12",
      unrepresentable: "any",
      reused: "inline",
    });
    // Named schemas (meta id) come back under $defs; they become components of the whole document.
    const json = JSON.parse(
      JSON.stringify(converted).replace(
        /"#\/\$defs\/([^"]+)"/g,
        (_m, id: string) => `"#/components/schemas/${id}${suffix}"`,
      ),
    ) as Record<string, unknown>;
    const {
      $schema: _,
      $defs,
      id: ownId,
      ...rest
    } = json as {
      $schema?: string;
      $defs?: Record<string, unknown>;
      id?: string;
    };
    for (const [id, def] of Object.entries($defs ?? {})) this.#components[`${id}${suffix}`] = def;
    const id = ownId ?? (z.globalRegistry.get(schema) as { id?: string } | undefined)?.id;
    // A named schema at the top comes back as a $ref to its own $defs entry, already kept above.
    if (id && !$defs?.[id]) {
      this.#components[`${id}${suffix}`] = rest;
      return { $ref: `#/components/schemas/${id}${suffix}` };
    }
    return rest;
  }
}
