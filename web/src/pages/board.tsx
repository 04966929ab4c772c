import { useEffect, useMemo, useState } from "preact/hooks";
import { describe, type Order, type User, unwrap } from "../api.ts";
import { Alert } from "../components/alert.tsx";
import { OrderItems } from "../components/order-items.tsx";
import { Page } from "../components/page.tsx";
import { LiveBadge, Status } from "../components/status.tsx";
import { useApp } from "../context.ts";
import { ordersSpec } from "../live/lists.ts";
import { useLiveList } from "../live/use-live-list.ts";

/** What a manager may move an order to from each status (the API answers 409 to anything else). */
const NEXT: Record<Order["status"], Order["status"][]> = {
  placed: [],
  assigned: ["out_for_delivery"],
  out_for_delivery: ["delivered"],
  delivered: [],
  cancelled: [],
};

export function Board() {
  const { api } = useApp();
  const spec = useMemo(() => ordersSpec(api), [api]);
  const live = useLiveList(api, spec);
  const [crew, setCrew] = useState<User[]>([]);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    api.client
      .GET("/api/groups/{group}/users", {
        params: { path: { group: "delivery-crew" }, query: { perpage: 100 } },
      })
      .then((r) => setCrew(unwrap(r).results))
      .catch((e) => setError(describe(e)));
  }, [api]);

  async function act(action: () => Promise<unknown>) {
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(describe(e));
    }
  }
  const patch = (order: Order, body: { delivery_crew?: number; status?: Order["status"] }) =>
    act(async () =>
      unwrap(await api.client.PATCH("/api/orders/{id}", { params: { path: { id: order.id } }, body })),
    );
  const cancel = (order: Order) =>
    act(async () =>
      unwrap(await api.client.POST("/api/orders/{id}/cancel", { params: { path: { id: order.id } } })),
    );

  const crewName = (id: number | null) =>
    crew.find((c) => c.id === id)?.username ?? (id ? `#${id}` : "nobody");

  return (
    <Page title="Orders board" aside={<LiveBadge mode={live.mode} />}>
      <Alert message={error ?? live.error} />
      {crew.length === 0 && (
        <p>
          No one is in the delivery crew yet: add someone under <a href="#/groups">Staff</a>.
        </p>
      )}
      {live.items === undefined ? (
        <p role="status">Loading orders…</p>
      ) : live.items.length === 0 ? (
        <p>No orders yet.</p>
      ) : (
        <ul class="orders board">
          {live.items.map((order) => (
            <li key={order.id} class="card" data-order={order.id}>
              <h2>
                Order #{order.id} <span class="muted">customer #{order.user}</span>
              </h2>
              <p aria-live="polite">
                <Status status={order.status} /> · crew: {crewName(order.delivery_crew)}
              </p>
              <p class="muted">
                {new Date(order.date).toLocaleString()} · ${order.total}
              </p>
              <OrderItems order={order} />
              {(order.status === "placed" || order.status === "assigned") && crew.length > 0 && (
                <AssignForm
                  order={order}
                  crew={crew}
                  onAssign={(id) => patch(order, { delivery_crew: id })}
                />
              )}
              <div class="actions">
                {NEXT[order.status].map((status) => (
                  <button
                    type="button"
                    class="secondary"
                    key={status}
                    onClick={() => patch(order, { status })}
                  >
                    Mark #{order.id} {status.replaceAll("_", " ")}
                  </button>
                ))}
                {order.status !== "delivered" && order.status !== "cancelled" && (
                  <button type="button" class="danger" onClick={() => cancel(order)}>
                    Cancel #{order.id}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}

function AssignForm(props: { order: Order; crew: User[]; onAssign: (id: number) => void }) {
  const id = `assign-${props.order.id}`;
  return (
    <form
      class="inline"
      onSubmit={(e) => {
        e.preventDefault();
        const value = Number(new FormData(e.currentTarget).get("crew"));
        if (value) props.onAssign(value);
      }}
    >
      <label for={id}>Crew member for order #{props.order.id}</label>
      <select id={id} name="crew" defaultValue={String(props.order.delivery_crew ?? props.crew[0]!.id)}>
        {props.crew.map((c) => (
          <option key={c.id} value={c.id}>
            {c.username}
          </option>
        ))}
      </select>
      <button type="submit">{props.order.delivery_crew ? "Reassign" : "Assign"}</button>
    </form>
  );
}
