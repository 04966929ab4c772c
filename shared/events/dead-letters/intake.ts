import { createHash } from "node:crypto";
import { FUNCTION_NAMES, type FunctionName } from "../../names.ts";

// The dead-letter sink keeps whatever it is handed: a letter is evidence that something went wrong, and
// the event that went wrong is often the one that is not well formed (data that is not JSON, no id, an
// empty body). So nothing here throws: the attributes are read from wherever they are, the data is
// parsed when it can be, and the body is kept as received in every case.

/** A letter as the sink reads it from a request, before it is stored. */
export interface IncomingDeadLetter {
  /** Every `ce-*` header (and, in structured mode, every scalar of the envelope), by attribute name. */
  attributes: Record<string, string>;
  /** The event's data when it is JSON; undefined otherwise (the raw body still has it). */
  data: unknown;
  /** The body exactly as received. */
  body: Uint8Array;
  contentType: string | null;
  /** The event's id, or, when it has none, a digest of what was received (so a resend refreshes it). */
  eventId: string;
}

const STRUCTURED = "application/cloudevents+json";
const MAX_ATTRIBUTES = 100;
const MAX_NAME = 40;
const MAX_VALUE = 4096;

/** Reads a dead letter leniently from a request's headers and raw body; never throws. */
export function readDeadLetter(headers: Headers, body: Uint8Array): IncomingDeadLetter {
  const contentType = headers.get("content-type");
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  const attributes: Record<string, string> = {};
  headers.forEach((value, key) => {
    const name = key.toLowerCase();
    if (name.startsWith("ce-")) put(attributes, name.slice(3), decode(value));
  });
  const text = utf8(body);
  let data: unknown;
  if (!headers.has("ce-specversion") && type === STRUCTURED) {
    const envelope = json(text);
    if (envelope !== null && typeof envelope === "object" && !Array.isArray(envelope)) {
      for (const [name, value] of Object.entries(envelope)) {
        if (name === "data") data = value;
        else if (["string", "number", "boolean"].includes(typeof value)) put(attributes, name, String(value));
      }
    }
  } else if (text !== undefined && text.trim() !== "" && (!type || isJson(type))) {
    data = json(text);
  }
  if (contentType && attributes.datacontenttype === undefined && type !== STRUCTURED) {
    put(attributes, "datacontenttype", contentType);
  }
  const eventId = attributes.id || `sha256:${digest(headers, body)}`;
  return { attributes, data, body, contentType, eventId };
}

function put(attributes: Record<string, string>, name: string, value: string) {
  if (Object.keys(attributes).length >= MAX_ATTRIBUTES) return;
  attributes[name.slice(0, MAX_NAME)] = value.slice(0, MAX_VALUE);
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function json(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isJson(type: string): boolean {
  return type === "application/json" || type === "text/json" || type.endsWith("+json");
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function digest(headers: Headers, body: Uint8Array): string {
  const hash = createHash("sha256");
  for (const name of ["ce-source", "ce-type", "ce-subject"]) hash.update(`${headers.get(name) ?? ""}\n`);
  return hash.update(body).digest("hex").slice(0, 32);
}

/**
 * The consumer a letter belongs to: the Tavola function its delivery failed to reach, read from the
 * first label of `knativeerrordest` (`http://cart.tavola.svc.cluster.local/events` → cart), since one
 * designated sink receives the letters of every Trigger; the sink itself when it names none it knows.
 * The letter is listed and replayed by that consumer's own routes.
 */
export function consumerOf(letter: IncomingDeadLetter, sink: FunctionName): FunctionName {
  const dest = letter.attributes.knativeerrordest;
  if (!dest) return sink;
  try {
    const label = new URL(dest).hostname.split(".")[0] as FunctionName;
    return FUNCTION_NAMES.includes(label) ? label : sink;
  } catch {
    return sink;
  }
}
