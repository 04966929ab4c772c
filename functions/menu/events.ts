import type { EventHandlers } from "../../shared/events/index.ts";

/**
 * The menu's event edge: it consumes no events (it is where menu events come from) and has no
 * housekeeping of its own on a tick; `POST /events` answers every type with 400 and a ping only sweeps
 * its outbox.
 */
export const menuEvents: EventHandlers = {};
