import http from "node:http";
import pg from "pg";
import { importBaselineKey } from "./auth.ts";
import { addToCart } from "./cart.ts";
import { getMenuItem, listMenuItems } from "./menu.ts";
import { placeOrder } from "./order.ts";
import { sendProblem } from "./respond.ts";

// The baseline: a bare node:http server with a pg pool of the functions' size, serving the benchmark's
// four routes with the same SQL and the same JSON, written by hand. It is the floor of what any
// framework costs; every function is reported as a ratio to it.

const env = process.env;
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);
const pool = new pg.Pool({
  connectionString: env.DATABASE_URL,
  max: Number(env.DB_POOL_MAX ?? 5),
  connectionTimeoutMillis: 3_000,
  idleTimeoutMillis: 10_000,
});
pool.on("error", () => {});
const key = await importBaselineKey(env.JWT_PUBLIC_KEY ?? "");

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, "") : url.pathname;
    if (req.method === "GET" && path === "/api/menu-items") return await listMenuItems(pool, res, url);
    if (req.method === "GET" && path.startsWith("/api/menu-items/"))
      return await getMenuItem(pool, res, path.slice("/api/menu-items/".length));
    if (req.method === "POST" && path === "/api/cart/menu-items") return await addToCart(pool, key, req, res);
    if (req.method === "POST" && path === "/api/orders")
      return await placeOrder(pool, key, env.K_SINK, req, res);
    if (req.method === "GET" && path === "/healthz") return res.end('{"status":"ok"}');
    sendProblem(res, 404, "Not Found", `No route matches ${req.method} ${path}.`);
  } catch {
    if (!res.headersSent) sendProblem(res, 500, "Internal Server Error", "The server failed.");
  }
});
server.listen(Number(env.PORT ?? 8080), "0.0.0.0");
process.once("SIGTERM", () => {
  server.close(() => void pool.end().then(() => process.exit(0)));
  server.closeIdleConnections();
});
