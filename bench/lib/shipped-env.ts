import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

/**
 * NODE_OPTIONS as the cluster gives every function (the `tavola-config` ConfigMap of knative/base), so
 * that each function runs here with the runtime flags it ships with. Empty when none are set.
 */
export function shippedNodeOptions(root: string): string {
  const text = readFileSync(join(root, "knative", "base", "config.yaml"), "utf8");
  for (const doc of parseAllDocuments(text)) {
    const object = doc.toJS() as {
      kind?: string;
      metadata?: { name?: string };
      data?: Record<string, string>;
    };
    if (object?.kind === "ConfigMap" && object.metadata?.name === "tavola-config")
      return object.data?.NODE_OPTIONS ?? "";
  }
  return "";
}
