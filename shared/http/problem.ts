import type { ErrorCode, FieldError } from "../errors.ts";

/** An RFC 9457 problem document as Tavola writes it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  request_id?: string;
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** The HTTP status of each verb error code; exhaustive, so a new code cannot go unmapped. */
export function statusForCode(code: ErrorCode): number {
  switch (code) {
    case "validation":
    case "bad_request":
      return 400;
    case "unauthenticated":
      return 401;
    case "forbidden":
      return 403;
    case "not_found":
      return 404;
    case "conflict":
      return 409;
    case "idempotency_mismatch":
      return 422;
    case "rate_limited":
      return 429;
    case "unavailable":
      return 503;
  }
}

/** Builds a problem document for a status; `type` is a stable slug clients may switch on. */
export function problem(status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  const title = TITLES[status] ?? (status >= 500 ? "Server Error" : "Error");
  return { type: `about:blank#${title.toLowerCase().replaceAll(" ", "-")}`, title, status, detail, ...extra };
}

/** A `Response` carrying a problem document with the right media type. */
export function problemResponse(p: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}
