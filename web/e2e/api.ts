import { createTavolaClient, type TavolaClient } from "../../client/index.ts";

/** A typed client signed in as `username` (the tests set up staff through the API, as a manager would). */
export async function signedInClient(
  base: string,
  username: string,
  password: string,
): Promise<TavolaClient> {
  const anonymous = createTavolaClient({ baseUrl: base });
  const { data, response } = await anonymous.POST("/api/token", { body: { username, password } });
  if (!data) throw new Error(`login of ${username}: ${response.status}`);
  return createTavolaClient({ baseUrl: base, token: () => data.access });
}

/** Registers a user with a name no other test uses; returns its id and credentials. */
export async function registerUser(base: string, prefix: string) {
  const username = `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  const password = "correct-horse-battery";
  const client = createTavolaClient({ baseUrl: base });
  const { data, response } = await client.POST("/api/users", { body: { username, password } });
  if (!data) throw new Error(`register ${username}: ${response.status}`);
  return { id: data.id, username, password };
}
