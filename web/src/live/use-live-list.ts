import { useEffect, useState } from "preact/hooks";
import type { Api } from "../api.ts";
import { type LiveMode, startLiveList } from "./live-list.ts";

export interface LiveList<T> {
  items: T[] | undefined;
  mode: LiveMode;
  error: string | undefined;
}

/**
 * A list the page shows and the server keeps current (see startLiveList). `spec` must be stable
 * across renders (useMemo): a new one restarts the stream.
 */
export function useLiveList<T>(
  api: Api,
  spec: {
    load: () => Promise<T[]>;
    streamPath: string;
    eventName: string;
    key: (item: T) => number;
    sort: (a: T, b: T) => number;
  },
): LiveList<T> {
  const [state, setState] = useState<LiveList<T>>({ items: undefined, mode: "connecting", error: undefined });
  useEffect(
    () =>
      startLiveList<T>({
        load: spec.load,
        streamUrl: `${api.baseUrl}${spec.streamPath}`,
        eventName: spec.eventName,
        key: spec.key,
        sort: spec.sort,
        headers: api.authHeaders,
        fetch: api.fetch,
        onChange: (items, mode) => setState({ items, mode, error: undefined }),
        onError: (error) =>
          setState((s) => ({ ...s, error: error instanceof Error ? error.message : String(error) })),
      }),
    [api, spec],
  );
  return state;
}
