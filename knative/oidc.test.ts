import { describe, expect, it } from "vitest";
import { networkProblems } from "./checks/network.ts";
import { oidcProblems } from "./checks/oidc.ts";
import { cloneObjects, findObject, type K8sObject, OVERLAYS, renderAll } from "./checks/render.ts";

// Knative's sender identity needs each delivery's audience, each function's tokens and issuer, and an
// EventPolicy on the Broker (knative/checks/oidc.ts); the egress policies keep the gateway and the
// functions to where they must go. Each check is shown to catch a broken manifest.

const rendered = await renderAll();
/** The functions that write an outbox and so publish to the Broker. */
const PUBLISHERS = ["menu", "order", "delivery"];

function broken(mutate: (objects: K8sObject[]) => void): string[] {
  const objects = cloneObjects(rendered.staging);
  mutate(objects);
  return oidcProblems(objects, PUBLISHERS);
}

describe("sender identity in the manifests", () => {
  it.each(OVERLAYS)("the %s overlay gives every delivery and every publish what OIDC needs", (overlay) => {
    expect(oidcProblems(rendered[overlay], PUBLISHERS)).toEqual([]);
    expect(networkProblems(rendered[overlay])).toEqual([]);
  });

  it("catches a Trigger, dead-letter sink or PingSource without the function's audience", () => {
    const problems = broken((o) => {
      const trigger = findObject(o, "eventing.knative.dev/Trigger");
      delete trigger.spec.subscriber.audience;
      trigger.spec.delivery.deadLetterSink.audience = "tavola-cart-events";
      delete findObject(o, "sources.knative.dev/PingSource").spec.sink.audience;
    });
    expect(problems).toContainEqual(expect.stringMatching(/Trigger\/.*: subscriber must name audience/));
    expect(problems).toContainEqual(expect.stringMatching(/Trigger\/.*: deadLetterSink must name audience/));
    expect(problems).toContainEqual(expect.stringMatching(/PingSource\/.*: sink must name audience/));
  });

  it("catches a function without its tokens or issuer", () => {
    const problems = broken((o) => {
      const order = findObject(o, "serving.knative.dev/Service", "order");
      order.spec.template.spec.volumes = [];
      const config = o.find((x) => x.kind === "ConfigMap" && x.data?.EVENTS_OIDC_ISSUER);
      if (config) delete config.data.EVENTS_OIDC_ISSUER;
    });
    expect(problems).toContain("Service/order: no projected token for the Broker's audience");
    expect(problems).toContain("Service/order: no projected token for the API server (OIDC discovery)");
    expect(problems).toContainEqual(expect.stringMatching(/Service\/menu: no EVENTS_OIDC_ISSUER/));
  });

  it("catches a Broker open to every workload, or to one that does not publish", () => {
    const open = broken((o) => {
      o.splice(o.indexOf(findObject(o, "eventing.knative.dev/EventPolicy")), 1);
    });
    expect(open).toContain("no EventPolicy guards the Broker: any workload may publish");
    const wide = broken((o) => {
      findObject(o, "eventing.knative.dev/EventPolicy").spec.from.push({
        sub: "system:serviceaccount:tavola:tavola-gateway",
      });
    });
    expect(wide).toContainEqual(expect.stringMatching(/admits system:serviceaccount:tavola:tavola-gateway/));
  });

  it("keeps the gateway's egress to Knative's ingress and DNS, and the functions' off PostgreSQL", () => {
    const gateway = findObject(rendered.staging, "NetworkPolicy", "gateway-egress");
    expect(gateway.spec.policyTypes).toEqual(["Egress"]);
    const gatewayPeers = gateway.spec.egress.flatMap((r: { to?: unknown[] }) => r.to ?? []);
    expect(gateway.spec.egress.every((r: { to?: unknown[] }) => (r.to ?? []).length > 0)).toBe(true);
    expect(JSON.stringify(gatewayPeers)).not.toMatch(/pgbouncer|postgres|knative-eventing/);
    const functions = findObject(rendered.staging, "NetworkPolicy", "functions-egress");
    const text = JSON.stringify(functions.spec.egress);
    expect(text).toMatch(/pgbouncer/);
    expect(text).toMatch(/knative-eventing/);
    expect(text).not.toMatch(/"postgres"/);
  });
});
