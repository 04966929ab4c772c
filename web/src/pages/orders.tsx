import { useMemo, useState } from "preact/hooks";
import { describe, type Order, unwrap } from "../api.ts";
import { Alert } from "../components/alert.tsx";
import { OrderItems } from "../components/order-items.tsx";
import { Page } from "../components/page.tsx";
import { LiveBadge, Status } from "../components/status.tsx";
import { useApp } from "../context.ts";
import { ordersSpec } from "../live/lists.ts";
import { useLiveList } from "../live/use-live-list.ts";

export function Orders() {
  const { api } = useApp();
  const spec = useMemo(() => ordersSpec(api), [api]);
  const live = useLiveList(api, spec);
  const [error, setError] = useState<string | undefined>();

  async function cancel(order: Order) {
    setError(undefined);
    try {
      unwrap(await api.client.POST("/api/orders/{id}/cancel", { params: { path: { id: order.id } } }));
    } catch (e) {
      setError(describe(e));
    }
  }

  return (
    <Page title="My orders" aside={<LiveBadge mode={live.mode} />}>
      <Alert message={error ?? live.error} />
      {live.items === undefined ? (
        <p role="status">Loading your orders…</p>
      ) : live.items.length === 0 ? (
        <p>
          No orders yet. <a href="#/menu">Browse the menu</a>.
        </p>
      ) : (
        <ul class="orders">
          {live.items.map((order) => (
            <li key={order.id} class="card" data-order={order.id}>
              <h2>Order #{order.id}</h2>
              {/* Announced when the status moves while the page is open. */}
              <p aria-live="polite">
                Status: <Status status={order.status} />
              </p>
              <p class="muted">
                {new Date(order.date).toLocaleString()} · total <strong>${order.total}</strong>
              </p>
              <OrderItems order={order} />
              {order.status === "placed" && (
                <button type="button" class="secondary" onClick={() => cancel(order)}>
                  Cancel order #{order.id}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
