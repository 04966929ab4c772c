import type { Delivery, Order } from "../api.ts";
import type { LiveMode } from "../live/live-list.ts";

const WORDS: Record<Order["status"] | Delivery["status"], string> = {
  unassigned: "Waiting for a crew member",
  placed: "Placed",
  assigned: "Assigned",
  out_for_delivery: "Out for delivery",
  delivered: "Delivered",
  cancelled: "Cancelled",
};

/** An order's or delivery's status in words, with a class per status for its colour. */
export function Status({ status }: { status: Order["status"] | Delivery["status"] }) {
  return <span class={`status status-${status}`}>{WORDS[status]}</span>;
}

const MODES: Record<LiveMode, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  polling: "Refreshing every few seconds",
};

/** Whether the list on the page follows the server live. */
export function LiveBadge({ mode }: { mode: LiveMode }) {
  return <span class={`live live-${mode}`}>{MODES[mode]}</span>;
}
