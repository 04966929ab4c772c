import { z } from "zod";

/** An RFC 9457 problem document as every error answer carries it. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    request_id: z.string().optional(),
    non_field_errors: z.array(z.string()).optional(),
  })
  .meta({ id: "Problem" });

/** The sentence every answered status gets in the document. */
export const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  201: "Created",
  204: "No content",
  400: "The input is invalid (field errors in `errors`)",
  401: "No or bad access token",
  403: "The caller's role does not allow it",
  404: "Not found (or not visible to the caller)",
  405: "The path exists but not for this method (see `Allow`)",
  409: "The current state forbids it",
  413: "The body is larger than 64 KiB",
  415: "The body is neither JSON nor form-encoded",
  422: "The idempotency key was used with another body",
  429: "Too many requests (see `Retry-After`)",
  500: "Unexpected failure; `request_id` identifies it in the logs",
  503: "The database is unavailable; retry after `Retry-After` seconds",
};
