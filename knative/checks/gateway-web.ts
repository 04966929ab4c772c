import { WEB_ASSETS } from "../../functions/build.ts";
import { WEB_CACHE } from "../../functions/local/web-site.ts";
import { gatewayConfig } from "./gateway.ts";
import { findObject, type K8sObject } from "./render.ts";

// The web app in the cluster: the gateway's nginx serves what the web-assets initContainer copied out of
// the Tavola image, with the same caching rules as `npm start` (WEB_CACHE).

/** The body of nginx.conf's `location <match> { … }` (no nested blocks but `types`), or undefined. */
export function locationBlock(conf: string, match: string): string | undefined {
  const start = conf.indexOf(`location ${match} {`);
  if (start === -1) return undefined;
  let depth = 0;
  for (let i = conf.indexOf("{", start); i < conf.length; i++) {
    if (conf[i] === "{") depth += 1;
    else if (conf[i] === "}" && --depth === 0) return conf.slice(start, i + 1);
  }
  return undefined;
}

const header = (block: string, name: string) =>
  new RegExp(`add_header ${name} "([^"]*)" always;`).exec(block)?.[1];
const rootOf = (block: string) => /\broot ([^;]+);/.exec(block)?.[1];

/** What is wrong with the way the rendered gateway serves the web app; [] when nothing is. */
export function gatewayWebProblems(objects: readonly K8sObject[]): string[] {
  const problems: string[] = [];
  const conf = gatewayConfig(objects) ?? "";
  // biome-ignore lint/suspicious/noExplicitAny: a Deployment as YAML gives it
  const spec = findObject(objects, "Deployment", "gateway").spec.template.spec as Record<string, any>;
  const init = (spec.initContainers ?? []).find((c: { name: string }) => c.name === "web-assets");
  const nginx = (spec.containers ?? []).find((c: { name: string }) => c.name === "nginx");
  const mountOf = (container: { volumeMounts?: { name: string; mountPath: string }[] } | undefined) =>
    container?.volumeMounts?.find((m) => m.name === "web");

  if (!init) problems.push("the gateway has no web-assets initContainer");
  else {
    const tavolaImage = (
      findObject(objects, "Job", "migrate").spec.template.spec.containers[0] as {
        image: string;
      }
    ).image;
    if (init.image !== tavolaImage)
      problems.push(`web-assets runs ${init.image}, not the functions' image ${tavolaImage}`);
    if (init.args?.[0] !== WEB_ASSETS || init.args?.[1] !== mountOf(init)?.mountPath)
      problems.push(`web-assets does not copy into its web volume (args ${JSON.stringify(init.args)})`);
  }
  const volume = (spec.volumes ?? []).find((v: { name: string }) => v.name === "web");
  if (!volume?.emptyDir) problems.push("the web volume is not an emptyDir");
  const served = mountOf(nginx)?.mountPath;
  if (!served) problems.push("nginx does not mount the web volume");

  for (const [match, cache] of [
    ["= /", WEB_CACHE.page],
    ["= /index.html", WEB_CACHE.page],
    ["^~ /assets/", WEB_CACHE.asset],
  ] as const) {
    const block = locationBlock(conf, match);
    if (!block) {
      problems.push(`nginx.conf has no location ${match}`);
      continue;
    }
    if (header(block, "Cache-Control") !== cache)
      problems.push(
        `location ${match} sends Cache-Control "${header(block, "Cache-Control")}", not "${cache}"`,
      );
    if (rootOf(block) !== served)
      problems.push(`location ${match} serves ${rootOf(block)}, not the web volume`);
  }
  return problems;
}
