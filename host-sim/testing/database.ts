// A fresh, empty MySQL 8 / MariaDB database for one test host, dropped again afterwards, so a
// plugin's integration tests can run on the production dialect as well as on SQLite.
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

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
