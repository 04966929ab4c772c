import { type Compilable, CompiledQuery, type Kysely } from "kysely";
import type { Database } from "./types.ts";

// Kysely builds a query's tree and compiles it to SQL text on every call: for the menu list a large
// share of the request's CPU and garbage (README.md, "Benchmarks", has the figures). Most queries'
// text is decided by a few choices (which filters are set, the ordering): their "shape". A shaped query
// builds and compiles each shape once, with stand-ins where the values go, and from then on sends the
// remembered text with the request's values in the stand-ins' places. What PostgreSQL receives is the
// same statement with the same parameters as building it afresh would send.

/** What a stand-in looks like: no text a client can send contains NUL (fields refuse it). */
const STAND_IN = "\u0000value:";

type Slot<V> = { value: keyof V } | { constant: unknown };

interface Compiled<V> {
  sql: string;
  slots: Slot<V>[];
}

export type ShapedQuery<S, V, R> = (db: Kysely<Database>, shape: S, values: V) => Promise<R[]>;

/**
 * Makes a query that is compiled once per shape. `build` receives the shape, which may decide anything,
 * and `values`, which it may only hand to Kysely as values. During the build each value is a stand-in,
 * so the compiler refuses a parameter that holds a stand-in it did not hand out whole, or NaN (arithmetic
 * on one); a value tested or compared in `build` cannot be seen, so put what decides the text in the
 * shape. `key` names a shape (two shapes with one key must give one text).
 *
 * The compiled texts are kept in the returned function, for the life of the process: they derive from
 * code alone (the shapes are finite: whitelisted orderings, set-or-unset filters), and every database of
 * this project speaks PostgreSQL's dialect.
 */
export function shapedQuery<S, V extends object, R>(
  build: (db: Kysely<Database>, shape: S, values: V) => Compilable<R>,
  key: (shape: S) => string = JSON.stringify,
): ShapedQuery<S, V, R> {
  const compiled = new Map<string, Compiled<V>>();
  return async (db, shape, values) => {
    const name = key(shape);
    let template = compiled.get(name);
    if (!template) {
      template = compileShape(build(db, shape, standIns(values)).compile(), Object.keys(values));
      compiled.set(name, template);
    }
    const parameters = template.slots.map((slot) => ("value" in slot ? values[slot.value] : slot.constant));
    const result = await db.executeQuery<R>(CompiledQuery.raw(template.sql, parameters));
    return result.rows;
  };
}

/** The same keys, each value replaced by a stand-in naming its key. */
function standIns<V extends object>(values: V): V {
  return Object.fromEntries(Object.keys(values).map((k) => [k, `${STAND_IN}${k}`])) as V;
}

function compileShape<V>(query: CompiledQuery, keys: string[]): Compiled<V> {
  const slots = query.parameters.map((parameter): Slot<V> => {
    // Arithmetic on a stand-in gives NaN, which no real query binds.
    if (Number.isNaN(parameter))
      throw new Error("a shaped query computed with a value instead of binding it");
    if (typeof parameter !== "string" || !parameter.includes(STAND_IN)) return { constant: parameter };
    const key = parameter.slice(STAND_IN.length);
    if (!parameter.startsWith(STAND_IN) || !keys.includes(key))
      throw new Error(
        `a shaped query computed with a value instead of binding it: ${JSON.stringify(parameter)}`,
      );
    return { value: key as keyof V };
  });
  if (query.sql.includes(STAND_IN)) throw new Error("a shaped query wrote a value into its SQL text");
  return { sql: query.sql, slots };
}
