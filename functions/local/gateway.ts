import { problem, problemResponse } from "../../shared/http/problem.ts";
import { isWebPath } from "./web-site.ts";

export interface GatewayRoute {
  /** A public path prefix without trailing slash, e.g. `/api/menu-items`. */
  prefix: string;
  /** The function that serves it. */
  target: string;
}

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

/** What the gateway itself serves besides routing: the merged API document and the docs page. */
export interface GatewayDocs {
  /** The text of the merged OpenAPI document (built once, on the first request for it). */
  openapi: () => Promise<string>;
  /** The docs page's HTML. */
  page: () => Promise<string>;
}

/**
 * The local gateway: routes each public path to the function that owns it by longest prefix, as the
 * cluster's gateway does. `/events` is never routed: events reach functions only through the broker.
 */
export function createGateway(
  routes: readonly GatewayRoute[],
  targets: Record<string, Fetch>,
  docs?: GatewayDocs,
  /** The web app's files (functions/local/web-site.ts), served at `/` and `/assets/`. */
  site?: Fetch,
): Fetch {
  const table = [...routes].sort((a, b) => b.prefix.length - a.prefix.length);
  for (const route of table) {
    if (!targets[route.target]) throw new Error(`gateway: no function "${route.target}" for ${route.prefix}`);
    if (isEventsPath(route.prefix)) throw new Error(`gateway: ${route.prefix} must never be public`);
  }
  return function gateway(request, env) {
    const path = new URL(request.url).pathname;
    if (path === "/healthz") return Response.json({ status: "ok" });
    if (path === "/readyz") return allReady(targets, request, env);
    if (docs && (path === "/openapi.json" || path === "/docs" || path === "/docs/"))
      return serveDocs(docs, request, path === "/openapi.json");
    if (site && isWebPath(path)) return site(request, env);
    const route = isEventsPath(path)
      ? undefined
      : table.find((r) => path === r.prefix || path.startsWith(`${r.prefix}/`));
    if (!route)
      return problemResponse(problem(404, `No route matches ${request.method} ${path.slice(0, 200)}.`));
    return targets[route.target]!(request, env);
  };
}

/** `GET /openapi.json` and `GET /docs` (and HEAD); another method is 405 with `Allow`. */
async function serveDocs(docs: GatewayDocs, request: Request, document: boolean): Promise<Response> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    const p = problem(405, `${request.method.slice(0, 20)} is not allowed here; use GET.`);
    return problemResponse(p, { allow: "GET, HEAD" });
  }
  const headers = {
    "content-type": document ? "application/json" : "text/html; charset=utf-8",
    "cache-control": "public, max-age=300",
    "access-control-allow-origin": "*",
  };
  const text = document ? await docs.openapi() : await docs.page();
  return new Response(request.method === "HEAD" ? null : text, { headers });
}

/** Ready when every function is: each answers its own /readyz. */
async function allReady(targets: Record<string, Fetch>, request: Request, env: unknown): Promise<Response> {
  const answers = await Promise.all(
    Object.values(targets).map((fetch) => fetch(new Request(request.url), env)),
  );
  const down = answers.filter((a) => a.status !== 200).length;
  return down === 0
    ? Response.json({ status: "ready" })
    : problemResponse(problem(503, `${down} of ${answers.length} functions are not ready.`), {
        "retry-after": "5",
      });
}

function isEventsPath(path: string): boolean {
  return path === "/events" || path.startsWith("/events/");
}
