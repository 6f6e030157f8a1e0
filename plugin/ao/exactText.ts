/**
 * Whether a user key, public id or string id from a request can equal one the plugin stores.
 *
 * MariaDB's and MySQL's PAD SPACE collations (`utf8mb4_bin` too) ignore trailing spaces when they
 * compare: there `USER_KEY = 'bob '` finds bob's rows, where SQLite and PostgreSQL find none. No
 * stored key or id ends in a space — the host allows no white space in user names and makes user
 * keys itself, public and string ids are base62 — so such a value names nothing, and is not handed
 * to a database that would read it as another (found by the attack review of 2026-12-04).
 */
export function mayBeStored(value: string): boolean {
  return !value.endsWith(' ');
}

/** The values of a list that {@link mayBeStored}. */
export function storable(values: readonly string[]): string[] {
  return values.filter(mayBeStored);
}
