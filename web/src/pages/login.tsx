import { unwrap } from "../api.ts";
import { Alert } from "../components/alert.tsx";
import { Field } from "../components/field.tsx";
import { Page } from "../components/page.tsx";
import { useApp } from "../context.ts";
import { useSessionForm } from "../use-session-form.ts";

export function Login() {
  const { api } = useApp();
  const { error, busy, submit } = useSessionForm(async (form) => {
    const pair = unwrap(
      await api.client.POST("/api/token", {
        body: { username: String(form.get("username")), password: String(form.get("password")) },
      }),
    );
    api.session.store(pair);
  });

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
