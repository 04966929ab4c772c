import { useCallback, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, type Cart, describe, unwrap } from "../api.ts";
import { createCheckoutAttempts, settles } from "../checkout.ts";
import { Alert } from "../components/alert.tsx";
import { Page } from "../components/page.tsx";
import { useApp } from "../context.ts";
import { useReloaded } from "../use-reloaded.ts";

export function CartPage() {
  const { api, navigate } = useApp();
  const [cart, setCart] = useState<Cart | undefined>();
  const [placing, setPlacing] = useState(false);
  const [retry, setRetry] = useState(false);
  // A ref, not state: a second click in the same frame must see the first one's flag.
  const inFlight = useRef(false);
  const attempts = useMemo(() => createCheckoutAttempts(() => crypto.randomUUID()), []);

  const load = useCallback(async () => {
    setCart(unwrap(await api.client.GET("/api/cart/menu-items")));
  }, [api]);
  const { error, setError, reload, act } = useReloaded(load);

  // A change to the cart is a new order to place: a pending checkout's key no longer stands for it.
  function change(action: () => Promise<unknown>) {
    attempts.reset();
    setRetry(false);
    return act(undefined, action);
  }

  const setQuantity = (id: number, quantity: number) =>
    change(async () =>
      unwrap(
        await api.client.PATCH("/api/cart/menu-items/{menuItemId}", {
          params: { path: { menuItemId: id } },
          body: { quantity },
        }),
      ),
    );
  const remove = (id: number) =>
    change(async () =>
      unwrap(
        await api.client.DELETE("/api/cart/menu-items/{menuItemId}", {
          params: { path: { menuItemId: id } },
        }),
      ),
    );
  const empty = () => change(async () => unwrap(await api.client.DELETE("/api/cart/menu-items")));

  async function checkout() {
    if (inFlight.current) return;
    inFlight.current = true;
    setPlacing(true);
    setError(undefined);
    const key = attempts.key();
    let status: number | undefined;
    try {
      const result = await api.client.POST("/api/orders", { params: { header: { "Idempotency-Key": key } } });
      status = result.response.status;
      unwrap(result);
      attempts.finish(true);
      navigate("/orders");
      return;
    } catch (e) {
      if (e instanceof ApiError) status = e.status;
      attempts.finish(settles(status));
      setRetry(attempts.pending());
      setError(
        attempts.pending()
          ? `${describe(e)} Your order may not have been placed; “Retry” checks without ordering twice.`
          : describe(e),
      );
      await reload();
    } finally {
      inFlight.current = false;
      setPlacing(false);
    }
  }

  return (
    <Page title="Your cart" aside={<a href="#/menu">Back to the menu</a>}>
      <Alert message={error} />
      {cart === undefined ? (
        <p role="status">Loading your cart…</p>
      ) : cart.results.length === 0 ? (
        <p>
          Your cart is empty. <a href="#/menu">Browse the menu</a>.
        </p>
      ) : (
        <>
          <ul class="lines">
            {cart.results.map((line) => (
              <li key={line.menuitem.id} class="card line">
                <span class="line-title">{line.menuitem.title}</span>
                <label for={`qty-${line.menuitem.id}`}>Quantity of {line.menuitem.title}</label>
                <input
                  id={`qty-${line.menuitem.id}`}
                  type="number"
                  min={0}
                  max={99}
                  inputMode="numeric"
                  value={line.quantity}
                  onChange={(e) => {
                    const quantity = Number(e.currentTarget.value);
                    if (Number.isInteger(quantity) && quantity >= 0 && quantity <= 99)
                      setQuantity(line.menuitem.id, quantity);
                  }}
                />
                <span class="price">${line.price}</span>
                <button type="button" class="secondary" onClick={() => remove(line.menuitem.id)}>
                  Remove <span class="visually-hidden">{line.menuitem.title}</span>
                </button>
              </li>
            ))}
          </ul>
          <p class="total">
            Total: <strong>${cart.total}</strong>
          </p>
          <div class="actions">
            <button type="button" class="secondary" onClick={empty} disabled={placing}>
              Empty cart
            </button>
            <button type="button" onClick={checkout} disabled={placing} aria-busy={placing}>
              {placing ? "Placing your order…" : retry ? "Retry placing the order" : "Place order"}
            </button>
          </div>
        </>
      )}
    </Page>
  );
}
