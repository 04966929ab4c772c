import { createGateway, type GatewayRoute } from "../../functions/local/gateway.ts";
import { knativeServices } from "./pods.ts";
import type { K8sObject } from "./render.ts";

/** The public path prefixes of docs/api.md, for the functions not yet in the registry. */
export const SPEC_ROUTES: Record<string, readonly string[]> = {
  auth: ["/api/users", "/api/token", "/token", "/auth", "/api/groups", "/.well-known"],
  menu: ["/api/categories", "/api/menu-items"],
  cart: ["/api/cart/menu-items"],
  order: ["/api/orders", "/api/cart/orders"],
  delivery: ["/api/deliveries"],
};

/**
 * The table the gateway must serve: each registered function's own routes (gatewayRoutes()), and the
 * contract's for a function not registered yet.
 */
export function expectedRoutes(registered: readonly GatewayRoute[]): GatewayRoute[] {
  const registeredNames = new Set(registered.map((r) => r.target));
  const fromSpec = Object.entries(SPEC_ROUTES)
    .filter(([fn]) => !registeredNames.has(fn))
    .flatMap(([fn, prefixes]) => prefixes.map((prefix) => ({ prefix, target: fn })));
  return [...registered, ...fromSpec];
}

/** One line of the nginx map: `~^<prefix>(/|$) <function>;`, in the order nginx tries them. */
export interface MapEntry {
  /** The regular expression as nginx.conf writes it (PCRE; for these patterns JavaScript's agrees). */
  regex: string;
  prefix: string;
  target: string;
}

/** The gateway's nginx.conf, from its rendered ConfigMap. */
export function gatewayConfig(objects: readonly K8sObject[]): string | undefined {
  const map = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("gateway-nginx"));
  return map?.data?.["nginx.conf"];
}

/** The path table of nginx.conf; a line of any other shape in the map is reported, not skipped. */
export function parsePathTable(conf: string): { entries: MapEntry[]; problems: string[] } {
  const block = /map \$uri \$tavola_function \{([^}]*)\}/.exec(conf);
  if (!block) return { entries: [], problems: ["nginx.conf has no `map $uri $tavola_function` table"] };
  const entries: MapEntry[] = [];
  const problems: string[] = [];
  for (const raw of block[1]!.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "" || line === 'default "";') continue;
    const m = /^~(\S+) ([a-z]+);$/.exec(line);
    const prefix = m?.[1]?.match(/^\^(\/(?:\\\.|[A-Za-z0-9_/-])+)\(\/\|\$\)$/)?.[1]?.replaceAll("\\.", ".");
    if (m && prefix && !prefix.endsWith("/")) entries.push({ regex: m[1]!, prefix, target: m[2]! });
    else
      problems.push(`nginx.conf map line not of the form "~^/prefix(/|$) function;" (dots escaped): ${line}`);
  }
  return { entries, problems };
}

/** Where nginx sends a path: the first map entry whose regex matches (nginx's rule for regex maps). */
export function nginxRoute(entries: readonly MapEntry[], path: string): string | undefined {
  return entries.find((e) => new RegExp(e.regex).test(path))?.target;
}

/** Where the local gateway (functions/local/gateway.ts) sends a path, for comparison. */
async function localRoute(routes: readonly GatewayRoute[], path: string): Promise<string | undefined> {
  const targets = Object.fromEntries(routes.map((r) => [r.target, () => new Response(r.target)]));
  const response = await createGateway(routes, targets)(new Request(`http://gateway${path}`));
  return response.status === 200 && path !== "/healthz" ? await response.text() : undefined;
}

const EVENTS_PATHS = ["/events", "/events/", "/events/dead-letter", "/events/x/y"];

/**
 * Every way the cluster gateway differs from the path table: a prefix routed elsewhere or not at all, a
 * route that is not in the table, a path the local gateway routes differently, /events reachable, a
 * target that is not a Knative Service, or a host outside the Services' namespace.
 */
export async function gatewayProblems(
  objects: readonly K8sObject[],
  expected: readonly GatewayRoute[],
): Promise<string[]> {
  const conf = gatewayConfig(objects);
  if (!conf) return ["no gateway-nginx ConfigMap with nginx.conf"];
  const { entries, problems } = parsePathTable(conf);
  const services = knativeServices(objects);
  for (const e of entries) {
    if (!services.has(e.target))
      problems.push(`${e.prefix} goes to ${e.target}, which is not a Knative Service`);
    if (!expected.some((r) => r.prefix === e.prefix && r.target === e.target))
      problems.push(`${e.prefix} -> ${e.target} is not in the path table`);
  }
  const samples = expected.flatMap((r) => [
    r.prefix,
    `${r.prefix}/`,
    `${r.prefix}/1`,
    `${r.prefix}/1/x`,
    `${r.prefix}x`,
  ]);
  for (const path of samples) {
    const want = await localRoute(expected, path);
    const got = nginxRoute(entries, path);
    if (want !== got)
      problems.push(`${path}: the gateway routes it to ${got ?? "nothing"}, not ${want ?? "nothing"}`);
  }
  for (const path of EVENTS_PATHS) {
    const got = nginxRoute(entries, path);
    if (got) problems.push(`${path} is routed to ${got}: /events must never be public`);
  }
  if (/location[^{]*\/events/.test(conf)) problems.push("nginx.conf has a location for /events");
  const namespace = [...services.values()][0]?.metadata.namespace;
  const hosts = [...conf.matchAll(/\$tavola_function\.([a-z0-9-]+)\.svc\.cluster\.local/g)].map((m) => m[1]);
  if (hosts.length === 0 || hosts.some((ns) => ns !== namespace))
    problems.push(`nginx.conf must send requests to $tavola_function.${namespace}.svc.cluster.local`);
  if (!/if \(\$tavola_function = ""\) \{\s*return 404/.test(conf))
    problems.push("nginx.conf must answer 404 when no prefix matches");
  return problems;
}
