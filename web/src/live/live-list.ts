import { readStream } from "./event-stream.ts";
import type { SseEvent } from "./sse-parser.ts";

/** How a live list is being kept current, for the page to say so. */
export type LiveMode = "connecting" | "live" | "reconnecting" | "polling";

export interface LiveListOptions<T> {
  /** The list as the normal GET answers it. */
  load: () => Promise<T[]>;
  /** The stream's absolute URL, e.g. `${origin}/api/orders/stream`. */
  streamUrl: string;
  /** The event that carries an item (`order`, `delivery`); `<name>-deleted` carries `{id}`. */
  eventName: string;
  key: (item: T) => number;
  /** The order the page shows the items in. */
  sort: (a: T, b: T) => number;
  headers: () => Promise<Record<string, string>>;
  fetch: typeof globalThis.fetch;
  onChange: (items: T[], mode: LiveMode) => void;
  onError: (error: unknown) => void;
  /** Between two list GETs when the API has no stream (404): a few seconds. */
  pollMs?: number;
  /** Injected for tests; resolves after `ms` or when the signal aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * A list kept current from the API, the one place the app decides how: it opens the stream, loads the
 * list with the normal GET once the stream is open (so no change falls between the two), applies each
 * event on top, and on the stream's end reconnects with `Last-Event-ID` (the server replays what was
 * missed; a stream that ended before naming any position is followed by a fresh load), backing off
 * while the API is unreachable. `reset` reloads the list. If the API serves no
 * stream at that path, it polls the list GET instead. Returns the function that stops it.
 */
export function startLiveList<T>(options: LiveListOptions<T>): () => void {
  const controller = new AbortController();
  const signal = controller.signal;
  const sleep = options.sleep ?? abortableSleep;
  const items = new Map<number, T>();
  let mode: LiveMode = "connecting";

  const emit = () => {
    if (!signal.aborted) options.onChange([...items.values()].sort(options.sort), mode);
  };
  const replace = (list: T[]) => {
    items.clear();
    for (const item of list) items.set(options.key(item), item);
    emit();
  };
  const reload = async () => replace(await options.load());

  const apply = (event: SseEvent) => {
    if (event.event === options.eventName) {
      const item = JSON.parse(event.data) as T;
      items.set(options.key(item), item);
    } else if (event.event === `${options.eventName}-deleted`) {
      items.delete((JSON.parse(event.data) as { id: number }).id);
    } else return;
    emit();
  };

  async function poll(): Promise<void> {
    mode = "polling";
    while (!signal.aborted) {
      await reload().catch(options.onError);
      await sleep(options.pollMs ?? 3000, signal);
    }
  }

  async function run(): Promise<void> {
    let lastEventId: string | undefined;
    let loaded = false;
    let failures = 0;
    while (!signal.aborted) {
      // Events that arrive while the first list GET is under way wait for it and apply on top.
      let pending: SseEvent[] | undefined = loaded ? undefined : [];
      let opened = false;
      try {
        const end = await readStream({
          url: options.streamUrl,
          headers: options.headers,
          fetch: options.fetch,
          signal,
          lastEventId,
          onOpen: () => {
            opened = true;
            failures = 0;
            mode = "live";
            if (loaded) return emit();
            reload()
              .then(() => {
                loaded = true;
                for (const event of pending ?? []) apply(event);
                pending = undefined;
              })
              .catch(options.onError);
          },
          onEvent: (event) => {
            if (event.event === "reset") {
              reload().catch(options.onError);
            } else if (pending) pending.push(event);
            else apply(event);
          },
        });
        lastEventId = end.lastEventId;
        // A stream that named no position cannot be resumed: the next one starts at "now", so the list
        // is loaded again once it is open, as at the start.
        if (lastEventId === undefined) loaded = false;
        if (end.status === 404 || end.status === 405 || end.status === 415) return poll();
        if (!opened) failures += 1;
        if (!loaded && !opened) await reload().catch(options.onError);
        if (opened && end.retry !== undefined && !signal.aborted) {
          mode = "reconnecting";
          emit();
          await sleep(end.retry, signal);
          continue;
        }
      } catch {
        // The network failed or the stream broke: try again after a pause.
        if (signal.aborted) return;
        failures += 1;
        if (!loaded) await reload().catch(options.onError);
      }
      if (signal.aborted) return;
      mode = "reconnecting";
      emit();
      await sleep(backoff(failures), signal);
    }
  }

  run().catch(options.onError);
  return () => controller.abort();
}

/** 0.5 s, 1 s, 2 s … up to 30 s, with jitter so clients cut together do not return together. */
export function backoff(failures: number): number {
  const base = Math.min(30_000, 500 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.5 + Math.random() / 2));
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
