import { readFile } from "node:fs/promises";
import type { Hono } from "hono";
import type { AppEnv } from "../../shared/http/env.ts";
import { mergeDocuments } from "../../shared/openapi/merge.ts";
import { functionDocument } from "../../shared/openapi/serve.ts";
import type { GatewayDocs } from "./gateway.ts";

/** The docs page the cluster's gateway serves too (one file, in its ConfigMap). */
const DOCS_PAGE = new URL("../../knative/base/gateway/docs.html", import.meta.url);

/**
 * The local gateway's `/openapi.json` (merged from the running apps, the same document
 * `npm run generate` checks in for the cluster) and `/docs`. Both are read on first request.
 */
export function gatewayDocs(apps: Record<string, Hono<AppEnv>>): GatewayDocs {
  let openapi: string | undefined;
  let page: Promise<string> | undefined;
  return {
    async openapi() {
      openapi ??= JSON.stringify(
        mergeDocuments(Object.entries(apps).map(([name, app]) => functionDocument(app, name))),
      );
      return openapi;
    },
    page() {
      page ??= readFile(DOCS_PAGE, "utf8");
      return page;
    },
  };
}
