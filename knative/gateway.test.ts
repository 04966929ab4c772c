import { describe, expect, it } from "vitest";
import { gatewayRoutes } from "../functions/registry.ts";
import {
  expectedRoutes,
  gatewayConfig,
  gatewayProblems,
  parsePathTable,
  SPEC_ROUTES,
} from "./checks/gateway.ts";
import { gatewayWebProblems } from "./checks/gateway-web.ts";
import { cloneObjects, findObject, type K8sObject, OVERLAYS, renderAll } from "./checks/render.ts";

// The public gateway serves exactly the path table: every prefix of every registered function (and the
// contract's (docs/api.md) for functions not registered yet) to the right Service, by the local gateway's own rule, and
// never /events.

const rendered = await renderAll();
const expected = expectedRoutes(gatewayRoutes());

function withConf(edit: (conf: string) => string): K8sObject[] {
  const objects = cloneObjects(rendered.prod);
  const map = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("gateway-nginx"))!;
  map.data["nginx.conf"] = edit(map.data["nginx.conf"]);
  return objects;
}
const tableLine = (line: string) => (conf: string) =>
  conf.replace('    default "";\n', `    default "";\n    ${line}\n`);

describe("the gateway's path table", () => {
  it("covers every registered function's routes, and the contract's for the rest", () => {
    const registered = gatewayRoutes();
    for (const route of registered) expect(expected).toContainEqual(route);
    const names = new Set(registered.map((r) => r.target));
    for (const [fn, prefixes] of Object.entries(SPEC_ROUTES))
      if (!names.has(fn))
        for (const prefix of prefixes) expect(expected).toContainEqual({ prefix, target: fn });
    expect(
      expectedRoutes([{ prefix: "/api/me", target: "auth" }]).filter((r) => r.target === "auth"),
    ).toEqual([{ prefix: "/api/me", target: "auth" }]);
  });

  it.each(OVERLAYS)("is served exactly, and without /events, in the %s overlay", async (overlay) => {
    expect(await gatewayProblems(rendered[overlay], expected)).toEqual([]);
    expect(parsePathTable(gatewayConfig(rendered[overlay])!).entries).toHaveLength(expected.length);
  });

  it("reports /events made public", async () => {
    const problems = await gatewayProblems(withConf(tableLine("~^/events(/|$) order;")), expected);
    expect(problems).toContain("/events -> order is not in the path table");
    expect(problems).toContain("/events is routed to order: /events must never be public");
    const location = withConf((c) =>
      c.replace("    location / {", "    location /events { proxy_pass http://order; }\n    location / {"),
    );
    expect(await gatewayProblems(location, expected)).toEqual(["nginx.conf has a location for /events"]);
  });

  it("reports a prefix that is missing or goes to the wrong function", async () => {
    const missing = await gatewayProblems(
      withConf((c) => c.replace("    ~^/api/deliveries(/|$) delivery;\n", "")),
      expected,
    );
    expect(missing).toContain("/api/deliveries: the gateway routes it to nothing, not delivery");
    const wrong = await gatewayProblems(
      withConf((c) => c.replace("~^/api/cart/orders(/|$) order;", "~^/api/cart/orders(/|$) cart;")),
      expected,
    );
    expect(wrong).toContain("/api/cart/orders -> cart is not in the path table");
  });

  it("reports a shorter prefix that shadows a longer one (nginx takes the first match)", async () => {
    const problems = await gatewayProblems(withConf(tableLine("~^/api/cart(/|$) cart;")), expected);
    expect(problems).toContain("/api/cart -> cart is not in the path table");
    expect(problems).toContain("/api/cart/orders: the gateway routes it to cart, not order");
  });

  it("reports a loose pattern: an unescaped dot, or no boundary after the prefix", async () => {
    const dot = await gatewayProblems(
      withConf((c) => c.replace("~^/\\.well-known(/|$)", "~^/.well-known(/|$)")),
      expected,
    );
    expect(dot).toContainEqual(expect.stringContaining("not of the form"));
    const boundary = await gatewayProblems(
      withConf((c) => c.replace("~^/api/users(/|$) auth;", "~^/api/users auth;")),
      expected,
    );
    expect(boundary).toContainEqual(expect.stringContaining("not of the form"));
  });

  it("reports a target that is not a Knative Service, and hosts outside the namespace", async () => {
    const objects = withConf((c) =>
      c.replaceAll("$tavola_function.tavola.svc", "$tavola_function.default.svc"),
    );
    objects.splice(objects.indexOf(findObject(objects, "serving.knative.dev/Service", "delivery")), 1);
    const problems = await gatewayProblems(objects, expected);
    expect(problems).toContain("/api/deliveries goes to delivery, which is not a Knative Service");
    expect(problems).toContain("nginx.conf must send requests to $tavola_function.tavola.svc.cluster.local");
  });

  it("reports a gateway that would proxy unmatched paths", async () => {
    const problems = await gatewayProblems(
      withConf((c) => c.replace(/if \(\$tavola_function = ""\) \{[^}]*\}/, "")),
      expected,
    );
    expect(problems).toEqual(["nginx.conf must answer 404 when no prefix matches"]);
  });
});

describe("the gateway's API document and docs page", () => {
  it("serves the checked-in /openapi.json and /docs from its ConfigMap, mounted where nginx.conf looks", async () => {
    const { readFile } = await import("node:fs/promises");
    for (const overlay of OVERLAYS) {
      const objects = rendered[overlay];
      const map = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("gateway-nginx"))!;
      const conf = map.data["nginx.conf"] as string;
      const gateway = findObject(objects, "Deployment", "gateway")!;
      // biome-ignore lint/suspicious/noExplicitAny: the Deployment is read field by field
      const mounts: { mountPath: string; subPath?: string }[] = (gateway as any).spec.template.spec
        .containers[0].volumeMounts;
      for (const [file, location] of [
        ["openapi.json", "/openapi.json"],
        ["docs.html", "/docs"],
      ] as const) {
        const checkedIn = await readFile(new URL(`./base/gateway/${file}`, import.meta.url), "utf8");
        expect(map.data[file], `${overlay}: ${file} in the ConfigMap`).toBe(checkedIn);
        const alias = new RegExp(`location = ${location.replace(".", "\\.")} \\{[^}]*alias ([^;]+);`).exec(
          conf,
        )?.[1];
        expect(alias, `${overlay}: nginx.conf serves ${location}`).toBeDefined();
        expect(mounts).toContainEqual(expect.objectContaining({ mountPath: alias, subPath: file }));
      }
    }
  });
});

describe("the gateway's web app", () => {
  // biome-ignore lint/suspicious/noExplicitAny: a pod spec as YAML gives it
  const edit = (objects: K8sObject[], change: (spec: Record<string, any>) => void) => {
    change(findObject(objects, "Deployment", "gateway").spec.template.spec);
    return objects;
  };

  it.each(OVERLAYS)("%s: serves the image's web app with npm start's caching headers", (overlay) => {
    expect(gatewayWebProblems(rendered[overlay])).toEqual([]);
  });

  it("reports caching headers that differ from npm start's, or a location that is missing", () => {
    expect(
      gatewayWebProblems(
        withConf((c) => c.replace("public, max-age=31536000, immutable", "public, max-age=60")),
      ),
    ).toEqual([
      'location ^~ /assets/ sends Cache-Control "public, max-age=60", not "public, max-age=31536000, immutable"',
    ]);
    expect(
      gatewayWebProblems(withConf((c) => c.replace("location = /index.html {", "location = /i.html {"))),
    ).toEqual(["nginx.conf has no location = /index.html"]);
  });

  it("reports an initContainer from another image, or files served from elsewhere", () => {
    const otherImage = edit(cloneObjects(rendered.prod), (spec) => {
      spec.initContainers[0].image = "busybox:1";
    });
    expect(gatewayWebProblems(otherImage)).toEqual([
      expect.stringMatching(/^web-assets runs busybox:1, not the functions' image /),
    ]);
    const elsewhere = edit(cloneObjects(rendered.prod), (spec) => {
      spec.containers[0].volumeMounts.find((m: { name: string }) => m.name === "web").mountPath = "/srv";
    });
    expect(gatewayWebProblems(elsewhere)).toHaveLength(3);
    const noInit = edit(cloneObjects(rendered.prod), (spec) => {
      spec.initContainers = [];
    });
    expect(gatewayWebProblems(noInit)).toEqual(["the gateway has no web-assets initContainer"]);
  });
});
