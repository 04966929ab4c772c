import type { EventHandlers, PingHook } from "../../shared/events/index.ts";
import { pruneAuthRecords } from "./prune-auth-records.ts";

/**
 * The auth function's event edge: it consumes no events (`POST /events` answers every type with 400)
 * and emits none; its PingSource tick only deletes dead login counters and refresh tokens.
 */
export const authEvents: EventHandlers = {};

export const authPing: PingHook = ({ db }) => pruneAuthRecords(db);
