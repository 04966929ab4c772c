import type { PGlite, PGliteOptions } from "@electric-sql/pglite";

/**
 * An embedded PGlite with the extensions the migrations create (pg_trgm for menu search). Every place
 * that opens PGlite goes through here, so a data directory made by one opens in all.
 */
export async function openPGlite(options: PGliteOptions = {}): Promise<PGlite> {
  const [{ PGlite }, { pg_trgm }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite/contrib/pg_trgm"),
  ]);
  return PGlite.create({ ...options, extensions: { ...options.extensions, pg_trgm } });
}
