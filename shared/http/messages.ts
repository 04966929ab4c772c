import type { z } from "zod";

type Issue = Parameters<z.core.$ZodErrorMap>[0];

const ARTICLE: Record<string, string> = { object: "an object", array: "a list", int: "a whole number" };

/**
 * The words a client reads when a field is wrong, for the issues whose schema gave no message of its
 * own: "is required", "must be a number", "must be one of …", never "Invalid input: expected …".
 */
export function humanMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      if (issue.input === null) return "must not be null";
      return `must be ${ARTICLE[issue.expected] ?? `a ${issue.expected}`}`;
    case "invalid_union": {
      if (issue.input === undefined) return "is required";
      // The most telling message of the branches: one a schema wrote, not a type mismatch.
      const own = issue.errors.flat().find((i) => i.code !== "invalid_type" && i.code !== "invalid_union");
      return own?.message ?? "has the wrong type";
    }
    case "invalid_value":
      return `must be one of ${issue.values.map(String).join(", ")}`;
    case "too_small":
      return issue.origin === "string"
        ? `must be at least ${issue.minimum} characters`
        : `must be at least ${issue.minimum}`;
    case "too_big":
      return issue.origin === "string"
        ? `must be at most ${issue.maximum} characters`
        : `must be at most ${issue.maximum}`;
    case "invalid_format":
      return issue.format === "email" ? "must be a valid email address" : `must be a valid ${issue.format}`;
    default:
      return undefined;
  }
}
