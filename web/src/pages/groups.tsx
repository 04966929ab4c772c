import { useCallback, useState } from "preact/hooks";
import { type User, unwrap } from "../api.ts";
import { Alert } from "../components/alert.tsx";
import { Field } from "../components/field.tsx";
import { Page } from "../components/page.tsx";
import { useApp } from "../context.ts";
import { useReloaded } from "../use-reloaded.ts";

const GROUPS = [
  { name: "manager", title: "Managers" },
  { name: "delivery-crew", title: "Delivery crew" },
] as const;

export function Groups() {
  return (
    <Page title="Staff">
      {GROUPS.map((g) => (
        <GroupSection key={g.name} group={g.name} title={g.title} />
      ))}
    </Page>
  );
}

function GroupSection(props: { group: string; title: string }) {
  const { api, me } = useApp();
  const [members, setMembers] = useState<User[] | undefined>();
  const path = { group: props.group };
  const load = useCallback(async () => {
    setMembers(
      unwrap(await api.client.GET("/api/groups/{group}/users", { params: { path, query: { perpage: 100 } } }))
        .results,
    );
  }, [api, props.group]);
  const { error, notice, act } = useReloaded(load);

  function add(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const username = String(new FormData(form).get("username")).trim();
    act(`Added ${username} to ${props.title.toLowerCase()}.`, async () => {
      unwrap(await api.client.POST("/api/groups/{group}/users", { params: { path }, body: { username } }));
      form.reset();
    });
  }
  const remove = (user: User) =>
    act(`Removed ${user.username}.`, async () =>
      unwrap(
        await api.client.DELETE("/api/groups/{group}/users/{user}", {
          params: { path: { group: props.group, user: String(user.id) } },
        }),
      ),
    );

  const headingId = `group-${props.group}`;
  return (
    <section aria-labelledby={headingId} class="card">
      <h2 id={headingId}>{props.title}</h2>
      <p class="notice" role="status">
        {notice}
      </p>
      <Alert message={error} />
      {members === undefined ? (
        <p role="status">Loading…</p>
      ) : members.length === 0 ? (
        <p>No one yet.</p>
      ) : (
        <ul class="members">
          {members.map((user) => (
            <li key={user.id}>
              <span>{user.username}</span>
              {user.id !== me?.id && (
                <button type="button" class="secondary" onClick={() => remove(user)}>
                  Remove {user.username}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form class="inline" onSubmit={add}>
        <Field
          label={`Username to add to ${props.title.toLowerCase()}`}
          name="username"
          id={`add-${props.group}`}
          required
        />
        <button type="submit">Add</button>
      </form>
    </section>
  );
}
