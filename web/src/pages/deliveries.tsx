import { useMemo, useState } from "preact/hooks";
import { type Delivery, describe, unwrap } from "../api.ts";
import { Alert } from "../components/alert.tsx";
import { Page } from "../components/page.tsx";
import { LiveBadge, Status } from "../components/status.tsx";
import { useApp } from "../context.ts";
import { deliveriesSpec } from "../live/lists.ts";
import { useLiveList } from "../live/use-live-list.ts";

export function Deliveries() {
  const { api } = useApp();
  const spec = useMemo(() => deliveriesSpec(api), [api]);
  const live = useLiveList(api, spec);
  const [error, setError] = useState<string | undefined>();

  async function move(delivery: Delivery, step: "pickup" | "deliver") {
    setError(undefined);
    try {
      const path =
        step === "pickup" ? "/api/deliveries/{orderId}/pickup" : "/api/deliveries/{orderId}/deliver";
      unwrap(await api.client.POST(path, { params: { path: { orderId: delivery.order_id } } }));
    } catch (e) {
      setError(describe(e));
    }
  }

  return (
    <Page title="My deliveries" aside={<LiveBadge mode={live.mode} />}>
      <Alert message={error ?? live.error} />
      {live.items === undefined ? (
        <p role="status">Loading your deliveries…</p>
      ) : live.items.length === 0 ? (
        <p>Nothing to deliver yet: orders assigned to you appear here.</p>
      ) : (
        <ul class="orders">
          {live.items.map((d) => (
            <li key={d.order_id} class="card" data-delivery={d.order_id}>
              <h2>Order #{d.order_id}</h2>
              <p aria-live="polite">
                Status: <Status status={d.status} />
              </p>
              <p class="muted">
                {d.assigned_at && `Assigned ${new Date(d.assigned_at).toLocaleTimeString()}`}
                {d.picked_up_at && ` · picked up ${new Date(d.picked_up_at).toLocaleTimeString()}`}
                {d.delivered_at && ` · delivered ${new Date(d.delivered_at).toLocaleTimeString()}`}
              </p>
              {d.status === "assigned" && (
                <button type="button" onClick={() => move(d, "pickup")}>
                  Pick up order #{d.order_id}
                </button>
              )}
              {d.status === "out_for_delivery" && (
                <button type="button" onClick={() => move(d, "deliver")}>
                  Mark order #{d.order_id} delivered
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
