import { HttpProblem } from "../../http/http-problem.ts";

// The CloudEvents 1.0 HTTP binding, written out rather than taken from the `cloudevents` package: the
// envelope is six headers, Tavola validates data with its own zod catalogue anyway, and the package
// would bring ajv and friends into every function's cold start for a scale-to-zero pod.

/** A CloudEvent as it arrived over HTTP, before its type and data are checked against the catalogue. */
export interface RawCloudEvent {
  /** Every context attribute and extension by name (id, source, type, specversion, subject, …). */
  attributes: Record<string, string>;
  /** The data, parsed from JSON; undefined when the event carries none. */
  data: unknown;
}

const REQUIRED = ["id", "source", "type", "specversion"] as const;
// The spec allows lowercase letters and digits; 40 is a generous cap on what a header may claim.
const ATTRIBUTE_NAME = /^[a-z0-9]{1,40}$/;
const STRUCTURED = "application/cloudevents+json";

/**
 * Reads a CloudEvent in binary content mode (`ce-*` headers, the body is the data) or structured mode
 * (`application/cloudevents+json`, the whole event in the body). Anything else, a batch, a missing
 * required attribute, another spec version or non-JSON data is a 400 `HttpProblem`.
 */
export function readCloudEvent(headers: Headers, bodyText: string): RawCloudEvent {
  const contentType = mediaType(headers.get("content-type"));
  const event = headers.has("ce-specversion")
    ? fromBinary(headers, contentType, bodyText)
    : contentType === STRUCTURED
      ? fromStructured(bodyText)
      : undefined;
  if (!event) {
    throw new HttpProblem(
      400,
      contentType === "application/cloudevents-batch+json"
        ? "Batched CloudEvents are not accepted; send one event per request."
        : "The request is not a CloudEvent: send ce-* headers (binary mode) or application/cloudevents+json.",
    );
  }
  for (const name of Object.keys(event.attributes)) {
    if (!ATTRIBUTE_NAME.test(name)) {
      throw new HttpProblem(400, `"${name.slice(0, 40)}" is not a valid CloudEvent attribute name.`);
    }
  }
  for (const name of REQUIRED) {
    if (!event.attributes[name]) throw new HttpProblem(400, `The CloudEvent has no "${name}" attribute.`);
  }
  if (event.attributes.specversion !== "1.0") {
    throw new HttpProblem(400, `CloudEvents spec version ${event.attributes.specversion} is not supported.`);
  }
  return event;
}

function fromBinary(headers: Headers, contentType: string | undefined, body: string): RawCloudEvent {
  const attributes: Record<string, string> = {};
  headers.forEach((value, key) => {
    const name = key.toLowerCase();
    if (name.startsWith("ce-")) attributes[name.slice(3)] = percentDecode(value);
  });
  if (contentType) attributes.datacontenttype = contentType;
  return { attributes, data: parseData(body, contentType) };
}

function fromStructured(body: string): RawCloudEvent {
  const envelope = parseJson(body, "The structured CloudEvent is not valid JSON.");
  if (envelope === null || typeof envelope !== "object" || Array.isArray(envelope)) {
    throw new HttpProblem(400, "A structured CloudEvent must be a JSON object.");
  }
  const attributes: Record<string, string> = {};
  let data: unknown;
  for (const [name, value] of Object.entries(envelope)) {
    if (name === "data") data = value;
    else if (name === "data_base64")
      throw new HttpProblem(400, "Binary (base64) event data is not accepted.");
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
      attributes[name] = String(value);
    else throw new HttpProblem(400, `The CloudEvent attribute "${name.slice(0, 40)}" is not a scalar.`);
  }
  const declared = attributes.datacontenttype;
  if (declared && !isJson(mediaType(declared))) {
    throw new HttpProblem(400, "Event data must be JSON (datacontenttype application/json).");
  }
  return { attributes, data };
}

function parseData(body: string, contentType: string | undefined): unknown {
  if (body.trim() === "") return undefined;
  if (contentType && !isJson(contentType)) {
    throw new HttpProblem(400, "Event data must be JSON (content-type application/json).");
  }
  return parseJson(body, "The event data is not valid JSON.");
}

function parseJson(text: string, failure: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpProblem(400, failure);
  }
}

function mediaType(header: string | null | undefined): string | undefined {
  const type = header?.split(";")[0]?.trim().toLowerCase();
  return type || undefined;
}

function isJson(type: string | undefined): boolean {
  return type === "application/json" || type === "text/json" || (type?.endsWith("+json") ?? false);
}

// The HTTP binding percent-encodes header values outside printable ASCII; a stray "%" stays as it is.
function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The headers of a binary-mode CloudEvent with JSON data: `ce-<name>` for every attribute (values
 * percent-encoded where the binding demands it) and `content-type: application/json`.
 */
export function binaryHeaders(attributes: Record<string, string | undefined>): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || name === "datacontenttype") continue;
    if (!ATTRIBUTE_NAME.test(name)) throw new Error(`"${name}" is not a valid CloudEvent attribute name`);
    headers[`ce-${name}`] = encodeHeaderValue(value);
  }
  return headers;
}

// Printable ASCII other than `"` and `%` travels as it is; everything else is percent-encoded UTF-8.
function encodeHeaderValue(value: string): string {
  return value.replace(/[^\x20-\x21\x23-\x24\x26-\x7e]/gu, (ch) => encodeURIComponent(ch));
}
