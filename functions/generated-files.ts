import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { schemaTypes } from "../client/schema-types.ts";
import { buildApiDocument } from "./api-document.ts";
import { eventsPage } from "./events-page.ts";
import { loadEventingManifests } from "./local/broker/manifests.ts";
import { FUNCTIONS } from "./registry.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Where the gateway's OpenAPI document is checked in (next to nginx.conf, for its ConfigMap). */
export const OPENAPI_FILE = join(ROOT, "knative/base/gateway/openapi.json");

/** The event catalogue's page. */
export const EVENTS_FILE = join(ROOT, "docs/events.md");

/** The typed client's types, from the document. */
export const CLIENT_SCHEMA_FILE = join(ROOT, "client/schema.ts");

/** Each generated file and the text it must hold. */
export async function generatedFiles(): Promise<{ path: string; text: string }[]> {
  const document = await buildApiDocument();
  // Compact: the gateway's ConfigMap carries it, and `kubectl apply` copies a ConfigMap into an
  // annotation that may not pass 256 KiB (indented, the document is twice as large).
  return [
    { path: OPENAPI_FILE, text: `${JSON.stringify(document)}\n` },
    { path: EVENTS_FILE, text: eventsPage(FUNCTIONS, await loadEventingManifests()) },
    // biome-ignore lint/suspicious/noExplicitAny: the document's JSON as the emitter reads it
    { path: CLIENT_SCHEMA_FILE, text: schemaTypes(JSON.parse(JSON.stringify(document)) as any) },
  ];
}
