import { useState } from "preact/hooks";
import { ApiError, describe, unwrap } from "../api.ts";
import { Alert } from "../components/alert.tsx";
import { Field } from "../components/field.tsx";
import { Page } from "../components/page.tsx";
import { useApp } from "../context.ts";

export function Register() {
  const { api } = useApp();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const username = String(form.get("username"));
    const password = String(form.get("password"));
    const email = String(form.get("email") ?? "");
    setBusy(true);
    setError(undefined);
    try {
      unwrap(
        await api.client.POST("/api/users", { body: { username, password, ...(email ? { email } : {}) } }),
      );
      api.session.store(unwrap(await api.client.POST("/api/token", { body: { username, password } })));
    } catch (e) {
      const fields = e instanceof ApiError ? e.fields.map((f) => `${f.path} ${f.message}`).join("; ") : "";
      setError(fields ? `${describe(e)} (${fields})` : describe(e));
      setBusy(false);
    }
  }

  return (
    <Page title="Create an account">
      <form class="card narrow" onSubmit={submit}>
        <Field label="Username" name="username" autoComplete="username" required />
        <Field label="Email (optional)" name="email" type="email" autoComplete="email" />
        <Field
          label="Password (at least 8 characters)"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={8}
          required
        />
        <Alert message={error} />
        <button type="submit" disabled={busy}>
          Create account
        </button>
        <p>
          Have an account? <a href="#/login">Sign in</a>
        </p>
      </form>
    </Page>
  );
}
