import { binaryHeaders } from "../../../shared/events/receive/cloudevent.ts";
import type { Logger } from "../../../shared/log.ts";
import { type DeliverySpec, parseDuration } from "./manifests.ts";

/**
 * An app's `fetch`, as the local stack calls every function in process; `env` is what the HTTP server
 * passes (@hono/node-server: the incoming socket, which throttling keys anonymous clients by).
 */
export type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

/** A destination resolved to where a request goes. */
export interface Target {
  url: string;
  fetch: Fetch;
}

/** An event on its way through the broker: its attributes and its data as JSON text. */
export interface BrokerEvent {
  attributes: Record<string, string>;
  body: string;
}

interface AttemptResult {
  status: number | undefined;
  body: string;
  headers?: Headers;
  error?: string;
}

/** Knative retries a failed send on exactly these: no answer at all, 404, 408, 409, 429 and 5xx. */
export function isRetryable(status: number | undefined): boolean {
  return status === undefined || [404, 408, 409, 429].includes(status) || status >= 500;
}

/** The wait before retry number `retry` (1-based): delay × retry (linear) or delay × 2^retry (exponential). */
export function backoffMs(spec: DeliverySpec, retry: number): number {
  const delay = spec.backoffDelay ? parseDuration(spec.backoffDelay) : 0;
  return spec.backoffPolicy === "linear" ? delay * retry : delay * 2 ** retry;
}

export interface DispatchDeps {
  logger: Logger;
  /** Waits `ms` of broker time (the time scale applies). */
  sleep(ms: number): Promise<void>;
  /**
   * Where a subscriber's reply event goes (the broker's ingress), for Trigger deliveries. When given,
   * a 2xx answer must have an empty body or be a CloudEvent; any other body is a failed delivery (502),
   * as Knative's broker filter decides.
   */
  reply?: (request: Request) => Promise<unknown>;
}

/**
 * Sends one event to a subscriber as Knative's dispatcher does: binary mode, retries per the delivery
 * spec on the retryable failures only, and after the last failure the dead-letter sink, with the
 * `knativeerrorcode`, `knativeerrordest` and `knativeerrordata` extensions telling what went wrong.
 */
export async function dispatch(
  deps: DispatchDeps,
  event: BrokerEvent,
  subscriber: Target,
  spec: DeliverySpec,
  deadLetterSink: Target | undefined,
): Promise<"delivered" | "dead-lettered" | "dropped"> {
  const timeoutMs = spec.timeout ? parseDuration(spec.timeout) : 30_000;
  const retries = spec.retry ?? 0;
  let result: AttemptResult;
  for (let retry = 0; ; retry++) {
    result = await attempt(subscriber, event, timeoutMs);
    if (deps.reply) result = await takeReply(result, deps.reply);
    if (result.status !== undefined && result.status >= 200 && result.status < 300) return "delivered";
    if (!isRetryable(result.status) || retry >= retries) break;
    await deps.sleep(backoffMs(spec, retry + 1));
  }
  const log = {
    eventId: event.attributes.id,
    eventType: event.attributes.type,
    destination: subscriber.url,
    status: result.status,
    error: result.error,
  };
  if (!deadLetterSink) {
    deps.logger.error("event dropped: delivery failed and there is no dead-letter sink", log);
    return "dropped";
  }
  const extensions: Record<string, string> = {
    knativeerrordest: subscriber.url,
    knativeerrordata: Buffer.from(result.body.slice(0, 1024)).toString("base64"),
  };
  if (result.status !== undefined) extensions.knativeerrorcode = String(result.status);
  const dead = await attempt(
    deadLetterSink,
    { ...event, attributes: { ...event.attributes, ...extensions } },
    timeoutMs,
  );
  if (dead.status === undefined || dead.status >= 300) {
    deps.logger.error("event lost: the dead-letter sink failed too", {
      ...log,
      deadLetterStatus: dead.status,
    });
    return "dropped";
  }
  deps.logger.warn("event dead-lettered", log);
  return "dead-lettered";
}

async function attempt(target: Target, event: BrokerEvent, timeoutMs: number): Promise<AttemptResult> {
  const request = new Request(target.url, {
    method: "POST",
    headers: binaryHeaders(event.attributes),
    ...(event.body ? { body: event.body } : {}),
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("timed out")), timeoutMs);
    });
    const response = await Promise.race([Promise.resolve(target.fetch(request)), timeout]);
    return { status: response.status, body: await response.text(), headers: response.headers };
  } catch (error) {
    return { status: undefined, body: "", error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

// A 2xx with a body is a reply: a CloudEvent goes back into the broker, anything else is a 502.
async function takeReply(result: AttemptResult, reply: (request: Request) => Promise<unknown>) {
  const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
  if (!ok || (result.body === "" && !result.headers?.has("ce-specversion"))) return result;
  const type = result.headers?.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (!result.headers?.has("ce-specversion") && type !== "application/cloudevents+json") {
    return {
      status: 502,
      body: "received a non-empty response not recognized as CloudEvent",
      error: "the subscriber answered 2xx with a body that is not a CloudEvent",
    };
  }
  await reply(
    new Request("http://broker-ingress.local/", {
      method: "POST",
      headers: result.headers!,
      body: result.body,
    }),
  );
  return result;
}
