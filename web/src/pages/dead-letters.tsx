import { useCallback, useEffect, useState } from "preact/hooks";
import { type DeadLetter, describe, unwrap } from "../api.ts";
import { Alert } from "../components/alert.tsx";
import { Page } from "../components/page.tsx";
import { useApp } from "../context.ts";

const FUNCTIONS = ["auth", "menu", "cart", "order", "delivery"] as const;
type FunctionName = (typeof FUNCTIONS)[number];

// Every function serves the same dead-letter routes under its own prefix; the typed client knows each
// path separately, and they share one shape, so one of them stands for all in the types.
type ListPath = "/api/dead-letters/order";
type ReplayPath = "/api/dead-letters/order/{id}/replay";

export function DeadLetters() {
  const { api } = useApp();
  const [fn, setFn] = useState<FunctionName>("order");
  const [onlyOpen, setOnlyOpen] = useState(true);
  const [letters, setLetters] = useState<DeadLetter[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState("");

  const reload = useCallback(async () => {
    try {
      const path = `/api/dead-letters/${fn}` as ListPath;
      // The document lists no query parameters for these routes, so the filter is applied here.
      const all = unwrap(await api.client.GET(path)).results;
      setLetters(onlyOpen ? all.filter((letter) => letter.replayed_at === null) : all);
    } catch (e) {
      setError(describe(e));
    }
  }, [api, fn, onlyOpen]);
  useEffect(() => {
    setLetters(undefined);
    reload();
  }, [reload]);

  async function replay(letter: DeadLetter) {
    setError(undefined);
    try {
      const path = `/api/dead-letters/${fn}/{id}/replay` as ReplayPath;
      const result = unwrap(await api.client.POST(path, { params: { path: { id: letter.id } } }));
      setNotice(
        result.outcome === "applied"
          ? `Dead letter ${letter.id} was applied.`
          : `Dead letter ${letter.id} had been applied already.`,
      );
    } catch (e) {
      setError(describe(e));
    }
    await reload();
  }

  return (
    <Page title="Dead letters">
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="dl-function">Function</label>
          <select id="dl-function" value={fn} onChange={(e) => setFn(e.currentTarget.value as FunctionName)}>
            {FUNCTIONS.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <label class="choice">
          <input type="checkbox" checked={onlyOpen} onChange={(e) => setOnlyOpen(e.currentTarget.checked)} />
          Only those not replayed
        </label>
      </form>
      <p class="notice" role="status">
        {notice}
      </p>
      <Alert message={error} />
      {letters === undefined ? (
        <p role="status">Loading…</p>
      ) : letters.length === 0 ? (
        <p>No dead letters for {fn}.</p>
      ) : (
        <ul class="orders">
          {letters.map((letter) => (
            <li key={letter.id} class="card">
              <h2>
                #{letter.id} {letter.type}
              </h2>
              <p class="muted">
                subject {letter.subject ?? "none"} · from {letter.source} · received{" "}
                {new Date(letter.received_at).toLocaleString()}
                {letter.error_code && ` · error ${letter.error_code}`}
              </p>
              <details>
                <summary>Data</summary>
                <pre>{JSON.stringify(letter.data, null, 2)}</pre>
              </details>
              {letter.replayed_at ? (
                <p>Replayed {new Date(letter.replayed_at).toLocaleString()}</p>
              ) : (
                <button type="button" onClick={() => replay(letter)}>
                  Replay #{letter.id}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
