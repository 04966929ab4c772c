import type { OrderTerm } from "../db/page.ts";
import { AppError } from "../errors.ts";

export type { OrderTerm };

/**
 * Reads `?ordering=price,-title` against a whitelist that maps public field names to columns. An
 * unknown field is a 400; nothing from the query ever reaches SQL as text.
 */
export function parseOrdering<C extends string>(
  raw: string | undefined,
  allowed: Record<string, C>,
): OrderTerm<C>[] {
  if (raw === undefined || raw.trim() === "") return [];
  const terms: OrderTerm<C>[] = [];
  for (const part of raw.split(",").slice(0, 5)) {
    const name = part.trim();
    const descending = name.startsWith("-");
    const field = descending ? name.slice(1) : name;
    const column = Object.hasOwn(allowed, field) ? allowed[field] : undefined;
    if (!column) {
      const fields = Object.keys(allowed).join(", ");
      throw new AppError("validation", `Cannot order by "${field.slice(0, 40)}"; use one of: ${fields}.`, {
        errors: [{ path: "ordering", message: `must be one of ${fields}, optionally prefixed with -` }],
      });
    }
    terms.push({ column, direction: descending ? "desc" : "asc" });
  }
  return terms;
}
