/**
 * The closed set of failures a verb may report. Verbs never pick HTTP status codes: the HTTP edge and
 * the event edge each map these codes in their own way.
 */
export type ErrorCode =
  | "validation" // input breaks a rule: which field and why
  | "bad_request" // input cannot be understood at all
  | "unauthenticated" // no or bad credentials
  | "forbidden" // known caller, not allowed
  | "not_found" // no such thing, or the caller may not know it exists
  | "conflict" // the state forbids it (a transition, a dependent row)
  | "idempotency_mismatch" // the same idempotency key with another request
  | "rate_limited" // too many attempts; retry later
  | "unavailable"; // a dependency is down; retry later

export interface FieldError {
  path: string;
  message: string;
}

/** An expected failure with a readable sentence for the client. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors: FieldError[] | undefined;
  /** Seconds after which a retry may succeed (rate_limited, unavailable). */
  readonly retryAfter: number | undefined;
  /** Extra members for the problem document (djoser's non_field_errors, say). */
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    detail: string,
    options: {
      errors?: FieldError[];
      retryAfter?: number;
      extra?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.errors = options.errors;
    this.retryAfter = options.retryAfter;
    this.extra = options.extra;
  }
}

/** A validation failure on one field. */
export function fieldError(path: string, message: string, detail?: string): AppError {
  return new AppError("validation", detail ?? message, { errors: [{ path, message }] });
}
