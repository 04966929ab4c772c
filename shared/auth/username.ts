/**
 * A username in the one form it is stored, compared and counted in: Unicode NFKC, as Django's
 * `normalize_username` does, so a compatibility twin ("ａｄｍｉｎ", fullwidth) is the same name as
 * "admin" and cannot be registered beside it or counted apart from it. Case is folded separately, by
 * the unique index on lower(username).
 */
export function normalizeUsername(username: string): string {
  return username.normalize("NFKC");
}
