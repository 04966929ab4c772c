import type { ServerResponse } from "node:http";
import type { Context } from "hono";

// When @hono/node-server serves an app it passes Node's own request and response as the env
// (`{ incoming, outgoing }`). Its Response is lazy: it keeps status, body and a plain header record until
// someone reads `c.res.headers`, which builds a WHATWG Headers object (a cost per request the
// benchmarks see; bench/README.md, "Figures behind code choices"). Going to Node's response when it is
// there skips that; elsewhere (app.request() in tests, other runtimes) the WHATWG way is taken, with the
// same answer.

/** Node's response behind `c`, when @hono/node-server serves the app. */
export function nodeResponse(c: Context): ServerResponse | undefined {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  return outgoing && typeof outgoing.setHeader === "function" ? outgoing : undefined;
}

/**
 * Sets a header on whatever response `c` ends with: on Node's response before the handler runs (it is
 * merged with the headers the app's Response carries when they are written), otherwise on `c.res` after.
 */
export async function withResponseHeader(
  c: Context,
  name: string,
  value: string,
  next: () => Promise<void>,
): Promise<void> {
  const outgoing = nodeResponse(c);
  if (outgoing) {
    outgoing.setHeader(name, value);
    await next();
    return;
  }
  await next();
  c.res.headers.set(name, value);
}
