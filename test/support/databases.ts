// Database fixtures shared by every contract and e2e suite: each call gives a fresh, empty
// database on SQLite (a temp file) and on the real MariaDB started by test/run-all.js.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConnection } from 'mysql2/promise';

export type TestDatabaseKind = 'sqlite' | 'mariadb';

export interface TestDatabase {
  readonly kind: TestDatabaseKind;
  /** A `DB_URL` as the host accepts it. */
  readonly url: string;
  /** Drops the database / removes the file. */
  drop(): Promise<void>;
}

export const DATABASE_KINDS: readonly TestDatabaseKind[] = ['sqlite', 'mariadb'];

function mysqlBaseUrl(): URL {
  const raw = process.env.TEST_MYSQL_URL;
  if (!raw) {
    throw new Error('TEST_MYSQL_URL is not set: run the suites through `npm test`, which starts a MariaDB server');
  }
  return new URL(raw);
}

/** Creates a fresh empty database of the given kind. */
export async function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  const suffix = randomBytes(6).toString('hex');
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apitok-sqlite-'));
    const file = path.join(dir, `test-${suffix}.db`);
    return { kind, url: `sqlite:${file}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const base = mysqlBaseUrl();
  const name = `t_${suffix}`;
  const admin = await createConnection({
    host: base.hostname, port: Number(base.port || 3306),
    user: decodeURIComponent(base.username), password: decodeURIComponent(base.password),
  });
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.end();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    drop: async () => {
      const c = await createConnection({
        host: base.hostname, port: Number(base.port || 3306),
        user: decodeURIComponent(base.username), password: decodeURIComponent(base.password),
      });
      try { await c.query(`DROP DATABASE IF EXISTS \`${name}\``); } finally { await c.end(); }
    },
  };
}

/**
 * Declares `body` once per database kind inside a `describe('… on sqlite|mariadb')`, the way
 * lucia's shared adapter test suite runs one contract against every adapter.
 */
export function forEachDatabase(title: string, body: (kind: TestDatabaseKind) => void): void {
  for (const kind of DATABASE_KINDS) {
    describe(`${title} (${kind})`, () => body(kind));
  }
}
