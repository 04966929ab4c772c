import type { FieldError } from "../errors.ts";

/**
 * A failure of the HTTP layer itself (unreadable body, too large, wrong media type): thrown by edge
 * helpers only, never by verbs.
 */
export class HttpProblem extends Error {
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  constructor(status: number, detail: string, errors?: FieldError[]) {
    super(detail);
    this.name = "HttpProblem";
    this.status = status;
    this.errors = errors;
  }
}
