import { useCallback, useEffect, useState } from "preact/hooks";
import { describe } from "./api.ts";

/**
 * A page that shows what `load` fetches and changes it: `load` runs on mount and whenever it changes (a
 * useCallback over what it reads), a failure shown as `error`; `act` runs one change, shows `done` (if any) as
 * the notice when it succeeds or its error when it fails, and loads again either way, so the page shows what
 * the server holds.
 */
export function useReloaded(load: () => Promise<void>) {
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState("");
  const reload = useCallback(async () => {
    try {
      await load();
    } catch (e) {
      setError(describe(e));
    }
  }, [load]);
  useEffect(() => {
    reload();
  }, [reload]);

  async function act(done: string | undefined, action: () => Promise<unknown>) {
    setError(undefined);
    try {
      await action();
      if (done !== undefined) setNotice(done);
    } catch (e) {
      setError(describe(e));
    }
    await reload();
  }

  return { error, setError, notice, reload, act };
}
