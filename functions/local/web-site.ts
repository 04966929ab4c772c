import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { problem, problemResponse } from "../../shared/http/problem.ts";

/** The caching rules of the web app's files, the same as the cluster gateway's nginx.conf. */
export const WEB_CACHE = {
  /** Content-hashed files under /assets/: a new build has new names, so they never change. */
  asset: "public, max-age=31536000, immutable",
  /** index.html names the current hashed files: revalidated on every load. */
  page: "no-cache",
} as const;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".json": "application/json",
};

/** Whether a path is the web app's: its page or one of its hashed assets (never an API path). */
export function isWebPath(path: string): boolean {
  return path === "/" || path === "/index.html" || path.startsWith("/assets/");
}

/**
 * Serves the built web app (web/dist) at `/` beside the API: index.html for `/`, and the files under
 * assets/ by exact name (no directory listing, no path that could leave the directory). The app routes
 * with the URL's hash, so no other path falls back to index.html.
 */
export function createWebSite(dir: string): (request: Request) => Promise<Response> {
  return async function webSite(request) {
    if (request.method !== "GET" && request.method !== "HEAD") {
      const p = problem(405, `${request.method.slice(0, 20)} is not allowed here; use GET.`);
      return problemResponse(p, { allow: "GET, HEAD" });
    }
    const path = new URL(request.url).pathname;
    const asset = /^\/assets\/([A-Za-z0-9_.-]+)$/.exec(path)?.[1];
    if (path.startsWith("/assets/") && (!asset || asset.startsWith(".")))
      return problemResponse(problem(404, "No such file."));
    const file = asset ? join(dir, "assets", asset) : join(dir, "index.html");
    const body = await readFile(file).catch(() => undefined);
    if (!body)
      return problemResponse(
        problem(404, asset ? "No such file." : "The web app is not built: run `npm run build:web`."),
      );
    const headers = {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": asset ? WEB_CACHE.asset : WEB_CACHE.page,
      "x-content-type-options": "nosniff",
    };
    return new Response(request.method === "HEAD" ? null : body, { headers });
  };
}
