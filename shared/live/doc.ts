import { z } from "zod";

/** What every stream route's OpenAPI description says about the protocol (docs/live-updates.md). */
export const STREAM_DESCRIPTION =
  "Server-Sent Events, read with fetch() and the Authorization header. Starts with `retry: 2000` and `id: <cursor>` " +
  "(where the stream starts; no event), then frames `id: <cursor>`, `event: <kind>`, `data: <JSON>`, and `: keep-alive` every ~15 s. " +
  "Send the last id seen as `Last-Event-ID` to resume after it without missing a change; without it the " +
  "stream starts now. A cursor older than the feed keeps gives `event: reset` (reload, then carry on). " +
  "The server ends the stream after a few minutes (LIVE_STREAM_MAX_SECONDS), when the access token " +
  "expires, or when the pod stops: reconnect (with a fresh token) and Last-Event-ID.";

/** The 200 answer of a stream route: `text/event-stream`, whose frames carry `<event>` and `<event>-deleted`. */
export function streamResponse(event: string) {
  return {
    mediaType: "text/event-stream",
    schema: z.string().meta({
      description:
        `SSE frames: \`event: ${event}\` with the item as its GET answers it, \`event: ${event}-deleted\` ` +
        'with `{"id": n}` (deleted, or no longer the caller\'s to see), `event: reset` with `{}`.',
    }),
  };
}

/** The request header a reconnecting client sends: the id of the last frame it received. */
export const LAST_EVENT_ID = {
  name: "Last-Event-ID",
  description:
    "The id of the last frame received; the stream resumes after it (unknown or too old: event reset)",
};
