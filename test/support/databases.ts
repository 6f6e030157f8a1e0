// Database fixtures shared by every contract and e2e suite: each call gives a fresh, empty
// database on SQLite (a temp file), on the real MariaDB and on the real PostgreSQL that
// test/run-all.js starts.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
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

function serverUrl(variable: 'TEST_MYSQL_URL' | 'TEST_PG_URL'): URL {
  const raw = process.env[variable];
  if (!raw) {
    const server = variable === 'TEST_MYSQL_URL' ? 'a MariaDB' : 'a PostgreSQL';
    throw new Error(`${variable} is not set: run the suites through \`npm test\` or test/run-all.js, which starts ${server} server`);
  }
  return new URL(raw);
}

async function withMysqlAdmin(base: URL, fn: (c: import('mysql2/promise').Connection) => Promise<unknown>): Promise<void> {
  const c = await createConnection({
    host: base.hostname, port: Number(base.port || 3306),
    user: decodeURIComponent(base.username), password: decodeURIComponent(base.password),
  });
  try { await fn(c); } finally { await c.end(); }
}

async function withPgAdmin(base: URL, fn: (c: Client) => Promise<unknown>): Promise<void> {
  const c = new Client({
    host: base.hostname, port: Number(base.port || 5432), database: 'postgres',
    user: decodeURIComponent(base.username), password: decodeURIComponent(base.password),
  });
  await c.connect();
  try { await fn(c); } finally { await c.end(); }
}

/**
 * Drops a PostgreSQL test database, ending its sessions. On a server whose user may not end an
 * autovacuum worker (42501: not a member of pg_signal_backend; the throwaway server grants it),
 * waits for the worker to finish instead.
 */
async function dropPostgresDatabase(base: URL, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await withPgAdmin(base, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '42501' || attempt >= 50) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Creates a fresh empty database of the given kind. */
export async function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  const suffix = randomBytes(6).toString('hex');
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apitok-sqlite-'));
    const file = path.join(dir, `test-${suffix}.db`);
    return { kind, url: `sqlite:${file}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `t_${suffix}`;
  if (kind === 'postgres') {
    const base = serverUrl('TEST_PG_URL');
    // FILE_COPY: on a server without fsync this is the quickest way to a fresh database.
    await withPgAdmin(base, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' STRATEGY FILE_COPY`));
    const url = new URL(base.toString());
    url.pathname = `/${name}`;
    return {
      kind,
      url: url.toString(),
      drop: () => dropPostgresDatabase(base, name),
    };
  }
  const base = serverUrl('TEST_MYSQL_URL');
  await withMysqlAdmin(base, (c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`));
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    drop: () => withMysqlAdmin(base, (c) => c.query(`DROP DATABASE IF EXISTS \`${name}\``)),
  };
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
