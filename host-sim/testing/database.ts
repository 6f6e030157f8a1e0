// A fresh, empty MySQL 8 / MariaDB or PostgreSQL database for one test host, dropped again
// afterwards, so a plugin's integration tests can run on the production dialects as well as on SQLite.
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';

/** A database created for a test; {@link TemporaryDatabase.drop} removes it. */
export interface TemporaryDatabase {
  /** A `DB_URL` naming the new database, for {@link StartOptions.dbUrl}. */
  readonly url: string;
  drop(): Promise<void>;
}

/**
 * Creates a database `t_<random>` (utf8mb4, binary collation, as the host's schema expects) on
 * the server of `serverUrl` (`mysql://user:pass@host:port[/anything]`; the user needs CREATE
 * and DROP). Example: `createMysqlDatabase(process.env.TEST_MYSQL_URL)`.
 */
export async function createMysqlDatabase(serverUrl: string): Promise<TemporaryDatabase> {
  const base = new URL(serverUrl);
  if (base.protocol !== 'mysql:') throw new Error(`createMysqlDatabase needs a mysql:// URL, not ${base.protocol}`);
  const connect = () => createConnection({
    host: base.hostname, port: Number(base.port || 3306),
    user: decodeURIComponent(base.username), password: decodeURIComponent(base.password),
  });
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = await connect();
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.end();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  url.search = '';
  return {
    url: url.toString(),
    async drop() {
      const c = await connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Creates a database `t_<random>` (UTF-8, C collation) on the PostgreSQL 15+ server of
 * `serverUrl` (`postgres://user:pass@host:port[/anything]`; the user needs CREATEDB). Example:
 * `createPostgresDatabase(process.env.TEST_PG_URL)`. On PostgreSQL the plugin's tables keep
 * Active Objects' quoted upper-case names: see docs/data-center.md.
 */
export async function createPostgresDatabase(serverUrl: string): Promise<TemporaryDatabase> {
  const base = new URL(serverUrl);
  if (base.protocol !== 'postgres:' && base.protocol !== 'postgresql:') {
    throw new Error(`createPostgresDatabase needs a postgres:// URL, not ${base.protocol}`);
  }
  const admin = async (statement: string): Promise<void> => {
    const c = new Client({
      host: base.hostname, port: Number(base.port || 5432), database: 'postgres',
      user: decodeURIComponent(base.username), password: decodeURIComponent(base.password),
    });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  const name = `t_${randomBytes(6).toString('hex')}`;
  // FILE_COPY: on a test server (no fsync) the quickest way to a fresh database.
  await admin(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' STRATEGY FILE_COPY`);
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  url.search = '';
  return {
    url: url.toString(),
    async drop() {
      // FORCE ends the database's sessions; a user who may not end an autovacuum worker (42501:
      // not a member of pg_signal_backend) waits for the worker to finish instead.
      for (let attempt = 0; ; attempt++) {
        try {
          await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          return;
        } catch (err) {
          if ((err as { code?: string }).code !== '42501' || attempt >= 50) throw err;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    },
  };
}
