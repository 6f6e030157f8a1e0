// MySQL and MariaDB compare text by the collation of the column, which by default is the
// database's. Every lookup of the host and of its plugins (user names and keys, token public
// ids, lock and setting names) expects a binary comparison — as Jira requires `utf8mb4_bin` —
// while a `_ci` collation takes "Bob" for "bob" and an accent-insensitive one "é" for "e".
// A node on such a database would answer for another user's key, so it does not start.
import type { DataSource } from 'typeorm';

/** Collations that compare by code point: `utf8mb4_bin`, `utf8mb4_nopad_bin`, MySQL 8's `utf8mb4_0900_bin`. */
const BINARY_UTF8MB4 = /^utf8mb4_(?:[a-z0-9]+_)?bin$/i;

/** The database or some of its tables compare text by a collation that is not binary. */
export class CollationError extends Error {
  readonly code = 'HOSTSIM_COLLATION';

  /** `the database <name> compares text by the collation <collation> (tables <first five>)`. */
  readonly finding: string;

  constructor(readonly database: string, readonly collation: string, readonly tables: readonly string[]) {
    const finding = `the database ${database} compares text by the collation ${collation}${tables.length > 0 ? ` (tables ${tables.join(', ')})` : ''}`;
    super(`${finding}, not utf8mb4_bin`);
    this.name = 'CollationError';
    this.finding = finding;
  }
}

/** Rejects with {@link CollationError} when the database's default collation or a table's is not binary utf8mb4. */
export async function requireBinaryCollation(dataSource: DataSource, database: string): Promise<void> {
  const [{ collation }] = await dataSource.query('SELECT @@collation_database AS collation') as Array<{ collation: string }>;
  const tables = await dataSource.query(
    "SELECT TABLE_NAME AS name, TABLE_COLLATION AS collation FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
  ) as Array<{ name: string; collation: string | null }>;
  const wrong = tables.filter((t) => t.collation !== null && !BINARY_UTF8MB4.test(t.collation));
  if (BINARY_UTF8MB4.test(collation) && wrong.length === 0) return;
  throw new CollationError(database, BINARY_UTF8MB4.test(collation) ? wrong[0].collation ?? '' : collation, wrong.slice(0, 5).map((t) => t.name));
}
