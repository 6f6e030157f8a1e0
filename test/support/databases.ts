// Database fixtures shared by every contract and e2e suite: each call gives a fresh, empty
// database on SQLite (a temp file), on the real MariaDB and on the real PostgreSQL that
// test/run-all.js starts.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMysqlDatabase, createPostgresDatabase } from '../../host-sim/testing/database';
import { testDatabaseKinds, type TestDatabaseKind } from '../../scripts/ensure-system-packages';

export type { TestDatabaseKind };

export interface TestDatabase {
  readonly kind: TestDatabaseKind;
  /** A `DB_URL` as the host accepts it. */
  readonly url: string;
  /** Drops the database / removes the file. */
  drop(): Promise<void>;
}

/**
 * The databases every database suite runs on: the default set, or those named in TEST_DATABASES
 * (e.g. `TEST_DATABASES=postgres node test/run-all.js …` runs only the PostgreSQL half).
 */
export const DATABASE_KINDS: readonly TestDatabaseKind[] = testDatabaseKinds(process.env);

/** The host's SQL dialect on a database kind (the `dialect` an AO upgrade task factory gets). */
export function dialectOf(kind: TestDatabaseKind): 'sqlite' | 'mysql' | 'postgres' {
  return kind === 'mariadb' ? 'mysql' : kind;
}

/** The server databases among {@link DATABASE_KINDS}: the ones a cluster of nodes can share. */
export const SERVER_DATABASE_KINDS: ReadonlyArray<'mariadb' | 'postgres'> =
  DATABASE_KINDS.filter((k): k is 'mariadb' | 'postgres' => k !== 'sqlite');

/** The server test/run-all.js started; a clear error when the file was run without it (plain mocha). */
export function serverUrl(variable: 'TEST_MYSQL_URL' | 'TEST_PG_URL'): string {
  const raw = process.env[variable];
  if (!raw) {
    const server = variable === 'TEST_MYSQL_URL' ? 'a MariaDB' : 'a PostgreSQL';
    throw new Error(`${variable} is not set: run the suites through \`npm test\` or test/run-all.js, which starts ${server} server`);
  }
  return raw;
}

/**
 * Creates a fresh empty database of the given kind: a temp file for SQLite, else through the
 * host's public testing API (host-sim/testing) on the server test/run-all.js started.
 */
export async function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apitok-sqlite-'));
    const file = path.join(dir, `test-${randomBytes(6).toString('hex')}.db`);
    return { kind, url: `sqlite:${file}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const db = kind === 'postgres'
    ? await createPostgresDatabase(serverUrl('TEST_PG_URL'))
    : await createMysqlDatabase(serverUrl('TEST_MYSQL_URL'));
  return { kind, url: db.url, drop: () => db.drop() };
}

/**
 * Declares a suite of separate node processes (test/support/cluster.ts) once per server database
 * of the run, inside `describe('… (separate node processes on MariaDB|PostgreSQL)')`; `body` gets
 * the database to pass to `useCluster`/`startCluster`. A run without server databases
 * (TEST_DATABASES=sqlite) still runs them on MariaDB, as a cluster needs a shared server.
 */
export function forEachServerDatabase(title: string, body: (this: Mocha.Suite, db: 'mariadb' | 'postgres') => void): void {
  const kinds = SERVER_DATABASE_KINDS.length ? SERVER_DATABASE_KINDS : (['mariadb'] as const);
  for (const db of kinds) {
    describe(`${title} (separate node processes on ${db === 'mariadb' ? 'MariaDB' : 'PostgreSQL'})`, function () {
      body.call(this, db);
    });
  }
}

/**
 * Declares `body` once per database kind inside a `describe('… (sqlite|mariadb|postgres)')`, the
 * way lucia's shared adapter test suite runs one contract against every adapter.
 */
export function forEachDatabase(title: string, body: (kind: TestDatabaseKind) => void): void {
  for (const kind of DATABASE_KINDS) {
    describe(`${title} (${kind})`, () => body(kind));
  }
}

/**
 * Declares a browser suite (test/e2e/ui) on the one database it names, inside
 * `describe('… (sqlite|mariadb|postgres)')`. A browser suite tests the pages; what each database
 * answers (filters, sorting, paging, lookups) is tested on every database by the contract and
 * REST suites. So each browser suite names its database, and together they use all three; a
 * page whose content is the database's own answer (the Token Manager's server sorting) runs on
 * every database through {@link forEachDatabase}. `TEST_UI_DATABASES=all` runs every browser
 * suite on every database of the run. When the named database is not in the run
 * (TEST_DATABASES), the suite runs on the first one that is.
 */
export function forEachBrowserDatabase(title: string, kind: TestDatabaseKind, body: (kind: TestDatabaseKind) => void): void {
  const all = (process.env.TEST_UI_DATABASES ?? '').trim();
  if (all !== '' && all !== 'all') throw new Error(`TEST_UI_DATABASES is 'all' or unset, not '${all}'`);
  const kinds = all === 'all' ? DATABASE_KINDS : [DATABASE_KINDS.includes(kind) ? kind : DATABASE_KINDS[0]];
  for (const k of kinds) {
    describe(`${title} (${k})`, () => body(k));
  }
}
