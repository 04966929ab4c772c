import { useState } from "preact/hooks";
import { describe } from "./api.ts";

/**
 * A form that ends in a new session (sign in, create an account): `submit` hands the form's fields to
 * `send` and keeps the button busy meanwhile. A failure shows as `error`, in `explain`'s words, and frees
 * the button; a success leaves it busy, as storing the session leaves the page.
 */
export function useSessionForm(
  send: (form: FormData) => Promise<void>,
  explain: (e: unknown) => string = describe,
) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      await send(form);
    } catch (e) {
      setError(explain(e));
      setBusy(false);
    }
  }

  return { error, busy, submit };
}
