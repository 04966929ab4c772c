import { ApiError, describe, unwrap } from "../api.ts";
import { Alert } from "../components/alert.tsx";
import { Field } from "../components/field.tsx";
import { Page } from "../components/page.tsx";
import { useApp } from "../context.ts";
import { useSessionForm } from "../use-session-form.ts";

/** The problem's title and, for a refused field, which one and why ("password too short"). */
function withFields(e: unknown): string {
  const fields = e instanceof ApiError ? e.fields.map((f) => `${f.path} ${f.message}`).join("; ") : "";
  return fields ? `${describe(e)} (${fields})` : describe(e);
}

export function Register() {
  const { api } = useApp();
  const { error, busy, submit } = useSessionForm(async (form) => {
    const username = String(form.get("username"));
    const password = String(form.get("password"));
    const email = String(form.get("email") ?? "");
    unwrap(
      await api.client.POST("/api/users", { body: { username, password, ...(email ? { email } : {}) } }),
    );
    api.session.store(unwrap(await api.client.POST("/api/token", { body: { username, password } })));
  }, withFields);

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
