import type { Order } from "../api.ts";

export function OrderItems({ order }: { order: Order }) {
  return (
    <ul class="items">
      {order.items.map((item) => (
        <li key={item.menuitem.id}>
          {item.quantity} × {item.menuitem.title} <span class="muted">${item.price}</span>
        </li>
      ))}
    </ul>
  );
}
