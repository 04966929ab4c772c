import type { z } from "zod";
import { AppError } from "../errors.ts";
import { humanMessage } from "./messages.ts";

/**
 * Parses input with a zod schema, turning failures into one validation error that names each field in
 * words written for people ("slug is required"), not the validator's. Unknown fields are dropped by the
 * schemas (clients may send server-owned fields; they have no effect).
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input, { error: humanMessage });
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
  const first = errors[0]!;
  const detail =
    errors.length === 1
      ? `${first.path === "(body)" ? "The body" : first.path} ${first.message}.`
      : `${errors.length} fields are invalid: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}.`;
  return throwValidation(detail, errors);
}

function throwValidation(detail: string, errors: { path: string; message: string }[]): never {
  throw new AppError("validation", detail, { errors });
}
