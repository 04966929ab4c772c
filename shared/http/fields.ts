import { z } from "zod";

// Field schemas that read both JSON values and the strings a form-encoded body carries.

/** Text without NUL bytes or other control characters PostgreSQL or a log would choke on. */
export function text(max: number) {
  return z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !hasControlCharacters(v), "must not contain control characters");
}

/** True when the text holds a NUL or another C0 control character other than tab, newline and return. */
export function hasControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return true;
  }
  return false;
}

/** An integer, given as a number or a decimal string. */
export function integer(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) {
  return z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^-?\d{1,15}$/, "must be a whole number")
        .transform(Number),
    ])
    .pipe(
      z
        .number({ message: "must be a whole number" })
        .int("must be a whole number")
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`),
    );
}

/** A row id: a positive 32-bit integer. */
export const id = integer(1, 2_147_483_647);

/** A boolean, also as "true"/"false"/"1"/"0"/"on"/"off" from forms. */
export const boolean = z.union([
  z.boolean(),
  z
    .enum(["true", "false", "True", "False", "1", "0", "on", "off"], { message: "must be true or false" })
    .transform((v) => ["true", "True", "1", "on"].includes(v)),
]);

/**
 * Money as an exact decimal with at most two places, answered as a two-place string. Never parsed as a
 * float: "5.5" becomes "5.50" by string arithmetic.
 */
export const money = z
  .union([z.string().trim(), z.number().transform((n) => String(n))])
  .pipe(
    z.string().regex(/^\d{1,8}(\.\d{1,2})?$/, "must be an amount with at most two decimal places, like 5.50"),
  )
  .transform((v) => {
    const [whole, frac = ""] = v.split(".");
    return `${BigInt(whole!)}.${frac.padEnd(2, "0")}`;
  });

/** A positive id in a URL path; anything else is not found rather than a database error. */
export function parsePathId(value: string | undefined): number | undefined {
  if (!value || !/^\d{1,10}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 && n <= 2_147_483_647 ? n : undefined;
}
