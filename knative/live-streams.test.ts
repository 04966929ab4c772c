import { describe, expect, it } from "vitest";
import { baseConfigSchema } from "../shared/config/schema.ts";
import { gatewayConfig } from "./checks/gateway.ts";
import { type K8sObject, OVERLAYS, renderAll } from "./checks/render.ts";

// Live streams (docs/live-updates.md) end themselves after LIVE_STREAM_MAX_SECONDS and send a keep-alive
// every LIVE_KEEPALIVE_SECONDS: the platform must let them run that long, cut nothing that idles less than
// the keep-alive, and pass frames through unbuffered.

const rendered = await renderAll();
const STREAMING = ["order", "delivery"];

/** The stream settings the function containers get: the ConfigMap's values, else the schema's defaults. */
function streamSettings(objects: readonly K8sObject[]) {
  const config = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("tavola-config"));
  return baseConfigSchema.parse({ ...config?.data });
}

describe.each(OVERLAYS)("live streams in the %s overlay", (overlay) => {
  const objects = rendered[overlay];
  const settings = streamSettings(objects);

  it.each(STREAMING)(
    "the %s Service lets a stream run its course, and nothing else longer than 30 s to start",
    (name) => {
      const service = objects.find(
        (o) =>
          o.kind === "Service" && o.apiVersion?.startsWith("serving.knative.dev") && o.metadata.name === name,
      );
      const spec = service!.spec.template.spec;
      expect(spec.timeoutSeconds).toBeGreaterThan(settings.LIVE_STREAM_MAX_SECONDS);
      expect(spec.responseStartTimeoutSeconds).toBeLessThanOrEqual(30);
      expect(spec.idleTimeoutSeconds).toBeGreaterThan(settings.LIVE_KEEPALIVE_SECONDS);
    },
  );

  it("the gateway waits longer than a keep-alive between reads and honours X-Accel-Buffering", () => {
    const conf = gatewayConfig(objects)!;
    const readTimeout = /proxy_read_timeout (\d+)s;/.exec(conf);
    expect(Number(readTimeout?.[1])).toBeGreaterThan(settings.LIVE_KEEPALIVE_SECONDS);
    expect(conf).not.toMatch(/proxy_ignore_headers[^;]*X-Accel-Buffering/i);
    expect(conf).not.toMatch(/^\s*gzip on/m);
  });
});
