// Writes token rows straight into a running host's token table (as bench/lib/seed.js does for the
// benchmark), for suites that need many tokens or exact column values (times, ties, last access).
// The rows carry a well-formed salt and hash (random hex) but no usable secret: they are listed,
// sorted, exported and deleted, never used to authenticate.
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';

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

function values(row: SeedRow, n: number, prefix: string): Value[] {
  const [publicId, stringId] = ids(prefix, n);
  return [publicId, stringId, row.userKey, row.description, row.created, 'admin', row.validUntil, row.scope ?? 2,
    randomBytes(32).toString('hex'), randomBytes(32).toString('hex'), row.lastAccessed ?? 0, row.lastIp ?? null,
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

/** Runs one read query on the host database (`?` placeholders), e.g. to read seeded ids or hashes. */
export async function queryRows(dbUrl: string, sql: string, params: readonly Value[] = []): Promise<Array<Record<string, Value>>> {
  if (dbUrl.startsWith('sqlite:')) {
    const db = new Database(dbUrl.slice('sqlite:'.length), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all(...params) as Array<Record<string, Value>>;
    } finally {
      db.close();
    }
  }
  const url = new URL(dbUrl);
  const c = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), database: url.pathname.slice(1), supportBigNumbers: true, bigNumberStrings: false });
  try {
    const [rows] = await c.query(sql, params as Value[]);
    return rows as Array<Record<string, Value>>;
  } finally {
    await c.end();
  }
}

/** The SQL quoting of the token table for {@link queryRows}. */
export function tokenTable(dbUrl: string): string {
  return dbUrl.startsWith('sqlite:') ? `"${JIRA_TOKEN_TABLE}"` : `\`${JIRA_TOKEN_TABLE}\``;
}
