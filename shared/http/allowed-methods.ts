import type { Context } from "hono";

interface RouteEntry {
  method: string;
  path: string;
}

/**
 * The methods an app serves on a path, from its route table (compiled on first use): what a 405's
 * `Allow` and an `OPTIONS` answer list. Middleware (`use`, `*` paths) serves no method of its own.
 */
export function allowedMethods(app: { routes: readonly RouteEntry[] }): (path: string) => string[] {
  let table: { pattern: RegExp; method: string }[] | undefined;
  return (path) => {
    table ??= app.routes
      .filter((r) => r.method !== "ALL" && !r.path.endsWith("*"))
      .map((r) => ({ pattern: toPattern(r.path), method: r.method }));
    const methods = new Set(table.filter((r) => r.pattern.test(path)).map((r) => r.method));
    if (methods.size === 0) return [];
    if (methods.has("GET")) methods.add("HEAD");
    methods.add("OPTIONS");
    const order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
    return [...methods].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  };
}

/** `/api/orders/:id` as a regular expression; a trailing slash is optional, as the apps route. */
function toPattern(path: string): RegExp {
  const source = path
    .replace(/\/+$/, "")
    .split("/")
    .map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source}/?$`);
}

/** The request's path, for messages (at most 200 characters). */
export function pathOf(c: Context): string {
  return new URL(c.req.url).pathname.slice(0, 200);
}
