import { useState } from "preact/hooks";
import { describe, unwrap } from "../api.ts";
import { Alert } from "../components/alert.tsx";
import { Field } from "../components/field.tsx";
import { Page } from "../components/page.tsx";
import { useApp } from "../context.ts";

export function Login() {
  const { api } = useApp();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      const pair = unwrap(
        await api.client.POST("/api/token", {
          body: { username: String(form.get("username")), password: String(form.get("password")) },
        }),
      );
      api.session.store(pair);
    } catch (e) {
      setError(describe(e));
      setBusy(false);
    }
  }

  return (
    <Page title="Sign in">
      <form class="card narrow" onSubmit={submit}>
        <Field label="Username" name="username" autoComplete="username" required />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        <Alert message={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <p>
          New here? <a href="#/register">Create an account</a>
        </p>
      </form>
    </Page>
  );
}
