// Writes token rows straight into a running host's token table (as bench/lib/seed.js does for the
// benchmark), for suites that need many tokens or exact column values (times, ties, last access).
// The rows carry a well-formed salt and hash (random hex) but no usable secret: they are listed,
// sorted, exported and deleted, never used to authenticate.
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { Client, types } from 'pg';

export const JIRA_TOKEN_TABLE = 'AO_5D4005_TOKEN';

export interface SeedRow {
  readonly userKey: string | null;
  readonly description: string;
  readonly created: number;
  readonly validUntil: number;
  readonly lastAccessed?: number;
  readonly lastIp?: string | null;
  readonly scope?: 0 | 1 | 2;
  readonly restrictions?: string | null;
}

const COLUMNS = ['PUBLIC_ID', 'STRING_ID', 'USER_KEY', 'DESCRIPTION', 'CREATED', 'CREATED_BY', 'VALID_UNTIL', 'SCOPE',
  'SALT', 'HASH', 'LAST_ACCESSED', 'LAST_IP', 'USE_COUNT', 'RESTRICTIONS', 'VERSION'] as const;

type Value = string | number | null;

/** A unique 12-character public id and a 20-character `asp_` string id for row `n` of one call (`prefix`: 4 characters). */
function ids(prefix: string, n: number): [string, string] {
  const tail = n.toString(36).padStart(8, '0');
  return [`${prefix}${tail}`, `asp_${prefix}${tail}xxxx`];
}

/** Random bytes drawn 64 KiB at a time: one randomBytes call per salt and hash took 1.2 s of 100,000 rows. */
let pool = Buffer.alloc(0);
let poolAt = 0;

/** 32 random bytes as 64 hex digits (a salt or a hash), each call's its own. */
function randomHex32(): string {
  if (poolAt + 32 > pool.length) {
    pool = randomBytes(65_536);
    poolAt = 0;
  }
  poolAt += 32;
  return pool.toString('hex', poolAt - 32, poolAt);
}

function values(row: SeedRow, n: number, prefix: string): Value[] {
  const [publicId, stringId] = ids(prefix, n);
  return [publicId, stringId, row.userKey, row.description, row.created, 'admin', row.validUntil, row.scope ?? 2,
    randomHex32(), randomHex32(), row.lastAccessed ?? 0, row.lastIp ?? null,
    row.lastAccessed ? 1 : 0, row.restrictions ?? null, 1];
}

/**
 * Inserts `count` rows made by `make(i)` with multi-row INSERTs in transactions; returns nothing
 * (read the ids back by description or public id). `prefix`: 4 letters that keep this call's
 * public ids apart from another call's.
 */
export async function seedTokenRows(dbUrl: string, count: number, make: (i: number) => SeedRow, prefix = 'seed'): Promise<void> {
  const per = 500;
  if (dbUrl.startsWith('sqlite:')) {
    const db = new Database(dbUrl.slice('sqlite:'.length));
    try {
      db.pragma('busy_timeout = 30000');
      const tuple = `(${COLUMNS.map(() => '?').join(', ')})`;
      const many = db.prepare(`INSERT INTO "${JIRA_TOKEN_TABLE}" (${COLUMNS.join(', ')}) VALUES ${Array(per).fill(tuple).join(', ')}`);
      const one = db.prepare(`INSERT INTO "${JIRA_TOKEN_TABLE}" (${COLUMNS.join(', ')}) VALUES ${tuple}`);
      const insert = db.transaction((from: number, to: number) => {
        let i = from;
        for (; i + per <= to; i += per) many.run(Array.from({ length: per }, (_v, k) => values(make(i + k), i + k, prefix)).flat());
        for (; i < to; i++) one.run(values(make(i), i, prefix));
      });
      for (let from = 0; from < count; from += 20_000) insert(from, Math.min(count, from + 20_000));
    } finally {
      db.close();
    }
    // better-sqlite3 blocked this process — the in-process host too — for the whole insert: let the
    // host's overdue timers run (it closes idle keep-alive sockets) before the next request, or
    // that request may be sent on a socket being closed (ECONNRESET).
    await new Promise((resolve) => setTimeout(resolve, 50));
    return;
  }
  if (isPostgres(dbUrl)) {
    const c = await pgClient(dbUrl);
    try {
      const names = COLUMNS.map((n) => `"${n}"`).join(', ');
      for (let from = 0; from < count; from += 20_000) {
        await c.query('BEGIN');
        for (let i = from; i < Math.min(count, from + 20_000); i += per) {
          const batch = Array.from({ length: Math.min(per, count - i) }, (_v, k) => values(make(i + k), i + k, prefix));
          const tuples = batch.map((_r, r) => `(${COLUMNS.map((_c, k) => `$${r * COLUMNS.length + k + 1}`).join(', ')})`);
          await c.query(`INSERT INTO "${JIRA_TOKEN_TABLE}" (${names}) VALUES ${tuples.join(', ')}`, batch.flat());
        }
        await c.query('COMMIT');
      }
    } finally {
      await c.end();
    }
    return;
  }
  const url = new URL(dbUrl);
  const c = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), database: url.pathname.slice(1) });
  try {
    for (let from = 0; from < count; from += 20_000) {
      await c.beginTransaction();
      for (let i = from; i < Math.min(count, from + 20_000); i += per) {
        const batch = Array.from({ length: Math.min(per, count - i) }, (_v, k) => values(make(i + k), i + k, prefix));
        await c.query(`INSERT INTO \`${JIRA_TOKEN_TABLE}\` (${COLUMNS.join(', ')}) VALUES ?`, [batch]);
      }
      await c.commit();
    }
  } finally {
    await c.end();
  }
}

function isPostgres(dbUrl: string): boolean {
  return dbUrl.startsWith('postgres://') || dbUrl.startsWith('postgresql://');
}

/** A PostgreSQL connection whose BIGINT columns come back as numbers (epoch millis fit), as through AO. */
async function pgClient(dbUrl: string): Promise<Client> {
  const c = new Client({
    connectionString: dbUrl,
    types: { getTypeParser: ((oid: number, format?: string) => (oid === 20 ? Number : types.getTypeParser(oid, format as 'text'))) as typeof types.getTypeParser },
  });
  await c.connect();
  return c;
}

/**
 * Runs one read query on the host database, e.g. to read seeded ids or hashes. Write it with
 * `?` placeholders and "double-quoted" upper-case names (as AO names them; PostgreSQL keeps the
 * case only quoted): on MySQL the quotes become backticks, on PostgreSQL the `?` become `$n`.
 * The rows' column names are upper case on every database, as the host reads them.
 */
export function queryRows(dbUrl: string, sql: string, params: readonly Value[] = []): Promise<Array<Record<string, Value>>> {
  return runSql(dbUrl, sql, params, false);
}

/** Runs one write statement on the host database, written as for {@link queryRows} (e.g. to damage a row on purpose). */
export async function writeRows(dbUrl: string, sql: string, params: readonly Value[] = []): Promise<void> {
  await runSql(dbUrl, sql, params, true);
}

async function runSql(dbUrl: string, sql: string, params: readonly Value[], write: boolean): Promise<Array<Record<string, Value>>> {
  if (isPostgres(dbUrl)) {
    const c = await pgClient(dbUrl);
    try {
      let n = 0;
      const result = await c.query(sql.replace(/\?/g, () => `$${++n}`), [...params]);
      // PostgreSQL folds unquoted names (the host's own tables, SELECT ENABLED) to lower case; the
      // host reads every column upper-case (PostgresBackend), and so do these rows.
      return result.rows.map((row: Record<string, Value>) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toUpperCase(), v])));
    } finally {
      await c.end();
    }
  }
  if (dbUrl.startsWith('sqlite:')) {
    const db = new Database(dbUrl.slice('sqlite:'.length), { readonly: !write, fileMustExist: true });
    try {
      // The host holds the file open: wait for its write lock rather than fail.
      if (write) db.pragma('busy_timeout = 30000');
      const statement = db.prepare(sql);
      if (!statement.reader) {
        statement.run(...params);
        return [];
      }
      return statement.all(...params) as Array<Record<string, Value>>;
    } finally {
      db.close();
    }
  }
  const url = new URL(dbUrl);
  const c = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), database: url.pathname.slice(1), supportBigNumbers: true, bigNumberStrings: false });
  try {
    const [rows] = await c.query(sql.replace(/"/g, '`'), params as Value[]);
    return rows as Array<Record<string, Value>>;
  } finally {
    await c.end();
  }
}
