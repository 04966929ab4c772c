import { createTavolaClient, type TavolaClient, type TavolaSchemas } from "../../client/index.ts";
import type { Session } from "./session.ts";

export type { TavolaSchemas };
export type Order = TavolaSchemas["Order"];
export type Delivery = TavolaSchemas["Delivery"];
export type MenuItem = TavolaSchemas["MenuItem"];
export type Category = TavolaSchemas["Category"];
export type Profile = TavolaSchemas["Profile"];
export type User = TavolaSchemas["User"];
export type Cart = TavolaSchemas["Cart"];
export type DeadLetter = TavolaSchemas["DeadLetter"];
type Problem = TavolaSchemas["Problem"];

export interface Api {
  client: TavolaClient;
  session: Session;
  /** The page's origin: the app is served beside the API. */
  baseUrl: string;
  /** The Authorization header for requests made outside the typed client (the streams). */
  authHeaders: () => Promise<Record<string, string>>;
  fetch: typeof fetch;
}

/** The typed client of the API, sending the session's access token (refreshed when due). */
export function createApi(deps: { session: Session; baseUrl: string; fetch: typeof fetch }): Api {
  const client = createTavolaClient({ baseUrl: deps.baseUrl, fetch: deps.fetch });
  client.use({
    async onRequest({ request }) {
      const token = await deps.session.accessToken();
      if (token) request.headers.set("authorization", `Bearer ${token}`);
      return request;
    },
    async onResponse({ request, response }) {
      // The token was refused (revoked, or the user is gone): back to the sign-in page.
      if (response.status === 401 && request.headers.has("authorization")) await deps.session.signOut();
      return response;
    },
  });
  return {
    client,
    session: deps.session,
    baseUrl: deps.baseUrl,
    fetch: deps.fetch,
    async authHeaders(): Promise<Record<string, string>> {
      const token = await deps.session.accessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  };
}

/** An error the page can show: the API's problem `detail`, with its field errors. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** The data of an openapi-fetch answer, or an ApiError made from its problem+json. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok && result.data !== undefined) return result.data;
  if (result.response.ok) return undefined as T;
  const problem = (result.error ?? {}) as Partial<Problem>;
  const detail =
    problem.detail ?? problem.non_field_errors?.join(" ") ?? `The server answered ${result.response.status}.`;
  throw new ApiError(detail, result.response.status, problem.errors ?? []);
}

/** A message for people from whatever a request threw. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return "The server cannot be reached. Check your connection and try again.";
  return error instanceof Error ? error.message : String(error);
}
