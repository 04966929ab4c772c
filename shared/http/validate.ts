import type { z } from "zod";
import { AppError } from "../errors.ts";

/**
 * Parses input with a zod schema, turning failures into one validation error that names each field.
 * Unknown fields are dropped by the schemas (clients may send server-owned fields; they have no effect).
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
  const first = errors[0]!;
  const detail =
    errors.length === 1
      ? `The field "${first.path}" is invalid: ${first.message}.`
      : `${errors.length} fields are invalid; see "errors".`;
  return throwValidation(detail, errors);
}

function throwValidation(detail: string, errors: { path: string; message: string }[]): never {
  throw new AppError("validation", detail, { errors });
}
