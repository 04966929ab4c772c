import { type ServerType, serve } from "@hono/node-server";
import { createLocalBroker, type LocalBroker } from "../../functions/local/broker/broker.ts";
import { loadEventingManifests } from "../../functions/local/broker/manifests.ts";
import { createLocalIssuer, type LocalIssuer } from "../../shared/events/identity/local-issuer.ts";
import { createLogger } from "../../shared/log.ts";
import { type BenchContext, functionSpec, readyProbe } from "./context.ts";
import { type RunningServer, startServer } from "./process.ts";
import { PORTS, takePort } from "./settings.ts";

// The event path as the cluster has it, on one machine: the order and delivery functions each started
// alone from their bundles, K_SINK pointing at the project's local broker (the one `npm start` runs,
// built from the Broker and Triggers in knative/), whose ingress the harness serves over HTTP and whose
// Trigger deliveries go over HTTP to the function processes.

export interface EventStack {
  broker: LocalBroker;
  /** The issuer whose tokens the function processes accept (the broker signs with it). */
  issuer: LocalIssuer;
  order: RunningServer;
  delivery: RunningServer;
  stop(): Promise<void>;
}

export async function startEventStack(ctx: BenchContext): Promise<EventStack> {
  const manifests = await loadEventingManifests();
  const services: Record<string, (request: Request) => Promise<Response>> = {};
  // The PingSources stay off: the sweep benchmark sends its pings itself, and a ping in the middle of
  // the latency benchmark would only add noise.
  // The broker signs its deliveries; its ingress also serves the issuer's discovery document and keys,
  // which each function process finds through EVENTS_OIDC_ISSUER as it finds the cluster's.
  const sink = `http://127.0.0.1:${PORTS.broker}/`;
  const issuer = await createLocalIssuer(`${sink}oidc`);
  const broker = createLocalBroker({
    manifests: { ...manifests, pingSources: [] },
    services,
    logger: createLogger("warn", { function: "broker" }),
    signer: issuer,
  });
  const ingress: ServerType = await new Promise((resolve) => {
    const fetch = (request: Request) => issuer.serve(request) ?? broker.ingress(request);
    const server = serve({ fetch, port: PORTS.broker, hostname: "127.0.0.1" }, () => resolve(server));
  });
  const started: RunningServer[] = [];
  try {
    for (const name of ["delivery", "order"] as const) {
      const spec = functionSpec(ctx, name, takePort());
      const server = await startServer(
        { ...spec, env: { ...spec.env, K_SINK: sink, EVENTS_OIDC_ISSUER: issuer.issuer } },
        readyProbe(ctx, name),
      );
      started.push(server);
      services[name] = (request) => forward(request, server.baseUrl);
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    ingress.close();
    throw error;
  }
  broker.start();
  return {
    broker,
    issuer,
    delivery: started[0]!,
    order: started[1]!,
    stop: async () => {
      broker.stop();
      await broker.settled();
      await Promise.all(started.map((s) => s.stop()));
      await new Promise((resolve) => ingress.close(resolve));
    },
  };
}

/** A Trigger's delivery to a function's process: the same request, over HTTP to its port. */
async function forward(request: Request, baseUrl: string): Promise<Response> {
  const url = new URL(request.url);
  return fetch(`${baseUrl}${url.pathname}${url.search}`, {
    method: request.method,
    headers: request.headers,
    body: request.method === "GET" ? undefined : await request.arrayBuffer(),
  });
}
