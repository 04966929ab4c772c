import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema.ts";

export type { components, paths };
/** The API's named shapes: `TavolaSchemas["Order"]`, `TavolaSchemas["MenuItem"]`, … */
export type TavolaSchemas = components["schemas"];
export type TavolaClient = Client<paths>;

export interface TavolaClientOptions {
  /** Where the gateway listens, e.g. `http://localhost:8080`. */
  baseUrl: string;
  /** The access token to send as `Authorization: Bearer …`, read before every request. */
  token?: () => string | undefined;
  /** Another fetch (tests, a runtime without a global one). */
  fetch?: typeof globalThis.fetch;
}

/**
 * A typed client of Tavola's API: every path, method, parameter, body and answer typed from the
 * OpenAPI document (openapi-fetch over the types in ./schema.ts, which `npm run generate` writes).
 *
 * ```ts
 * let token: string | undefined;
 * const api = createTavolaClient({ baseUrl: "http://localhost:8080", token: () => token });
 * const { data } = await api.POST("/api/token", { body: { username, password } });
 * token = data?.access;
 * const menu = await api.GET("/api/menu-items", { params: { query: { search: "salad" } } });
 * ```
 */
export function createTavolaClient(options: TavolaClientOptions): TavolaClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const token = options.token;
  if (token) {
    client.use({
      onRequest({ request }) {
        const value = token();
        if (value) request.headers.set("authorization", `Bearer ${value}`);
        return request;
      },
    });
  }
  return client;
}
