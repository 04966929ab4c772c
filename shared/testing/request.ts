export interface CallOptions {
  token?: string | undefined;
  /** A JSON body. */
  json?: unknown;
  /** A form-encoded body, as Little Lemon clients send it. */
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Headers;
  body: any;
}

interface Fetchable {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

/** Calls a Hono app (no port) and reads the answer; `body` is parsed JSON, or text when not JSON. */
export async function call(
  app: Fetchable,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) {
    headers["content-type"] ??= "application/json";
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(options.form).toString();
  }
  const response = await app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status: response.status, headers: response.headers, body: parsed };
}
