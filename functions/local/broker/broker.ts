import type { LocalIssuer } from "../../../shared/events/identity/local-issuer.ts";
import type { FetchLike } from "../../../shared/events/outbox/sender.ts";
import { readCloudEvent } from "../../../shared/events/receive/cloudevent.ts";
import { readCappedText } from "../../../shared/http/body.ts";
import { HttpProblem } from "../../../shared/http/http-problem.ts";
import { problem, problemResponse } from "../../../shared/http/problem.ts";
import type { Logger } from "../../../shared/log.ts";
import { type BrokerEvent, dispatch, type Fetch, type Target } from "./delivery.ts";
import { triggerMatches } from "./filter.ts";
import type { Destination, EventingManifests } from "./manifests.ts";
import { createPingSchedule, type PingSchedule } from "./schedule.ts";
import { withSenderToken } from "./sign.ts";

export interface LocalBrokerOptions {
  manifests: EventingManifests;
  /** Each Knative Service by name (`auth`, `menu`, …): the function's app, called in process. */
  services: Record<string, Fetch>;
  logger: Logger;
  /**
   * Broker time per real time: 1 is real time; 0.001 makes a 0.5 s backoff take 0.5 ms and a PingSource
   * minute 60 ms, so tests see retries and schedules without waiting.
   */
  timeScale?: number;
  /**
   * Signs each delivery to a destination that names an `audience`, as Knative's sender identity does
   * (see shared/events/identity/local-issuer.ts); the subject is the Trigger's or PingSource's name.
   */
  signer?: Pick<LocalIssuer, "sign">;
}

/** The Knative Broker, Triggers and PingSources of `knative/`, run in process for `npm start` and tests. */
export interface LocalBroker {
  /** The K_SINK of every function: the broker's ingress address. */
  readonly sinkUrl: string;
  /** The ingress itself: accepts a CloudEvent (202) and delivers it to every matching Trigger. */
  ingress(request: Request): Promise<Response>;
  /** A `fetch` for publishers that reaches the ingress in process; fails like a refused connection when stopped. */
  readonly fetch: FetchLike;
  /** Accepts events and runs the PingSource schedule. */
  start(): void;
  /** Refuses events, as a broker that is down, and stops the schedule; deliveries under way go on. */
  stop(): void;
  /** Sends every PingSource's event now, as if its schedule had come round. */
  firePings(): Promise<void>;
  /** Resolves once nothing is under way: deliveries, their retries and dead letters, pings. */
  settled(): Promise<void>;
}

const NAMESPACE = "tavola";

/** Builds the broker from its manifests; it starts stopped. */
export function createLocalBroker(options: LocalBrokerOptions): LocalBroker {
  const { manifests, services, logger } = options;
  const timeScale = options.timeScale ?? 1;
  const namespace = manifests.broker.metadata.namespace ?? NAMESPACE;
  const sinkUrl = `http://broker-ingress.knative-eventing.svc.cluster.local/${namespace}/${manifests.broker.metadata.name}`;
  const inflight = new Set<Promise<unknown>>();
  let accepting = false;
  let schedule: PingSchedule | undefined;

  const track = (work: Promise<unknown>) => {
    const settled = work.catch((error) => logger.error("local broker failure", { error: String(error) }));
    inflight.add(settled);
    void settled.finally(() => inflight.delete(settled));
  };
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms * timeScale));

  function resolve(destination: Destination, owner: string): Target | undefined {
    const { ref, uri = "" } = destination;
    if (!ref) return { url: uri, fetch: (request) => fetch(request) };
    if (ref.kind === "Broker") return { url: sinkUrl, fetch: ingress };
    const service = services[ref.name];
    if (ref.kind !== "Service" || !service) {
      logger.debug("local broker: destination not in this stack", { owner, kind: ref.kind, name: ref.name });
      return undefined;
    }
    return {
      url: `http://${ref.name}.${ref.namespace ?? namespace}.svc.cluster.local${uri}`,
      fetch: withSenderToken(service, options.signer, destination.audience, `${namespace}:${owner}`),
    };
  }

  function route(event: BrokerEvent): void {
    for (const trigger of manifests.triggers) {
      if (!triggerMatches(trigger, event.attributes)) continue;
      const subscriber = resolve(trigger.spec.subscriber, trigger.metadata.name);
      if (!subscriber) continue; // like a Trigger whose subscriber is not ready: nothing is sent
      // A Trigger's own delivery spec replaces the Broker's.
      const spec = trigger.spec.delivery ?? manifests.broker.spec.delivery ?? {};
      const deadLetter = spec.deadLetterSink && resolve(spec.deadLetterSink, trigger.metadata.name);
      track(dispatch({ logger, sleep, reply: ingress }, event, subscriber, spec, deadLetter));
    }
  }

  async function ingress(request: Request): Promise<Response> {
    if (!accepting) throw new TypeError("fetch failed: the local broker is stopped");
    try {
      const raw = readCloudEvent(request.headers, await readCappedText(request));
      route({ attributes: raw.attributes, body: raw.data === undefined ? "" : JSON.stringify(raw.data) });
      return new Response(null, { status: 202 });
    } catch (error) {
      if (error instanceof HttpProblem) return problemResponse(problem(error.status, error.message));
      throw error;
    }
  }

  async function firePing(name: string, at: Date): Promise<void> {
    const source = manifests.pingSources.find((p) => p.metadata.name === name)!;
    const sink = resolve(source.spec.sink, name);
    if (!sink) return;
    const attributes = {
      specversion: "1.0",
      id: crypto.randomUUID(),
      source: `/apis/v1/namespaces/${source.metadata.namespace ?? namespace}/pingsources/${name}`,
      type: "dev.knative.sources.ping",
      time: at.toISOString(),
    };
    // A PingSource does not retry: a missed tick is made good by the next one.
    const outcome = await dispatch(
      { logger, sleep },
      { attributes, body: source.spec.data ?? "" },
      sink,
      {},
      undefined,
    );
    if (outcome !== "delivered") logger.warn("ping not delivered", { pingSource: name });
  }

  const broker: LocalBroker = {
    sinkUrl,
    ingress,
    fetch: (url, init) => ingress(new Request(url, init)),
    start() {
      accepting = true;
      schedule ??= createPingSchedule(manifests.pingSources, {
        timeScale,
        fire: (name, at) => track(firePing(name, at)),
      });
    },
    stop() {
      accepting = false;
      schedule?.stop();
      schedule = undefined;
    },
    async firePings() {
      await Promise.all(manifests.pingSources.map((p) => firePing(p.metadata.name, new Date())));
    },
    async settled() {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
  };
  return broker;
}
