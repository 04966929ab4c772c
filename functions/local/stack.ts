import type { Hono } from "hono";
import type { Kysely } from "kysely";
import type { VerifyAccessToken } from "../../shared/auth/verifier.ts";
import type { BaseConfig } from "../../shared/config/schema.ts";
import type { Database } from "../../shared/db/types.ts";
import { createLocalIssuer } from "../../shared/events/identity/local-issuer.ts";
import { createSenderVerifier, eventsAudience } from "../../shared/events/identity/sender-identity.ts";
import { createHttpPublisher } from "../../shared/events/outbox/publisher.ts";
import type { AppEnv } from "../../shared/http/env.ts";
import type { Logger } from "../../shared/log.ts";
import { assembleFunction } from "../../shared/runtime/assemble.ts";
import type { FunctionDefinition } from "../../shared/runtime/function.ts";
import { gatewayRoutes } from "../registry.ts";
import { createLocalBroker, type LocalBroker } from "./broker/broker.ts";
import type { Fetch } from "./broker/dispatch.ts";
import { type EventingManifests, loadEventingManifests } from "./broker/manifests.ts";
import { createGateway } from "./gateway.ts";
import { gatewayDocs } from "./gateway-docs.ts";

/** The issuer the local broker's sender tokens name. */
export const LOCAL_ISSUER = "http://broker-ingress.knative-eventing.svc.cluster.local/local-oidc";

export interface LocalStackOptions {
  functions: readonly FunctionDefinition[];
  env: Record<string, string | undefined>;
  config: BaseConfig;
  db: Kysely<Database>;
  logger: Logger;
  verify: VerifyAccessToken;
  /** Defaults to the manifests in knative/base/eventing. */
  manifests?: EventingManifests;
  /** The broker's time scale (see `LocalBrokerOptions.timeScale`). */
  timeScale?: number;
  /** The web app served at `/` (createWebSite); none when unset. */
  site?: Fetch;
  /** Aborted when the process stops: every function's live streams end (FunctionContext.stopping). */
  stopping?: AbortSignal;
}

export interface LocalStack {
  /** The gateway: public paths to the function that owns them. */
  fetch: Fetch;
  apps: Record<string, Hono<AppEnv>>;
  broker: LocalBroker;
  /** Stops the broker and waits for what it has under way (the caller owns the database). */
  close(): Promise<void>;
}

/**
 * Every given function assembled as in the cluster, behind the gateway, with the local broker routing
 * their events as the Triggers in knative/ say: each function's publisher sends to the broker's
 * ingress (its K_SINK), and the PingSources drive each function's outbox sweep.
 */
export async function createLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const manifests = options.manifests ?? (await loadEventingManifests());
  const services: Record<string, Fetch> = {};
  // The broker signs its deliveries with a key of its own, made for this run; the functions verify them
  // with the code that verifies the cluster's tokens.
  const issuer = await createLocalIssuer(LOCAL_ISSUER);
  const broker = createLocalBroker({
    manifests,
    services,
    signer: issuer,
    logger: options.logger.child({ function: "broker" }),
    ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
  });
  const apps: Record<string, Hono<AppEnv>> = {};
  for (const definition of options.functions) {
    const logger = options.logger.child({ function: definition.name });
    const publisher = createHttpPublisher({
      db: options.db,
      sink: broker.sinkUrl,
      logger,
      fetch: broker.fetch,
    });
    const app = await assembleFunction(definition, {
      env: options.env,
      config: options.config,
      db: options.db,
      logger,
      verify: options.verify,
      verifySender: createSenderVerifier({
        keys: issuer.keys,
        issuer: issuer.issuer,
        audience: eventsAudience(definition.name),
      }),
      publisher,
      stopping: options.stopping,
    });
    apps[definition.name] = app;
    // The server's env goes through: without it every anonymous client would share one throttle bucket.
    services[definition.name] = (request, env) => app.fetch(request, env);
  }
  broker.start();
  return {
    fetch: createGateway(gatewayRoutes(options.functions), services, gatewayDocs(apps), options.site),
    apps,
    broker,
    async close() {
      broker.stop();
      await broker.settled();
    },
  };
}
