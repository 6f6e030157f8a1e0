// PostgreSQL through the pg pool that TypeORM created. The host writes portable SQL with `?`
// placeholders and upper-case names; this backend speaks it to PostgreSQL:
// - `?` becomes `$1`, `$2` … (never inside string literals or quoted names);
// - column labels come back upper case (`SELECT USER_KEY FROM HOST_USER` → `{ USER_KEY }`), as
//   MySQL and SQLite return the names as written: the host's own tables are lower case on
//   PostgreSQL (unquoted names fold), Active Objects tables quoted upper case;
// - BIGINT and NUMERIC come back as numbers (epoch millis and ids fit), booleans as parameters
//   become 1/0 (PostgreSQL turns '1' into TRUE for a BOOLEAN column but rejects 'true' for INTEGER);
// - an INSERT into a table with a generated id reports that id (`RETURNING`), as
//   `insertId` does on MySQL and SQLite.
import { createHash } from 'node:crypto';
import type { Pool, PoolClient, QueryArrayConfig, QueryArrayResult } from 'pg';
import { Pool as PgPool, types as pgTypes } from 'pg';
import type { DataSource } from 'typeorm';
import { HostError } from '../HostError';
import { isConnectionError, isReadStatement, retryOnStaleConnection } from './connectionErrors';
import type { DatabaseBackend, RawResult, Row, SqlValue } from './SqlRunner';

const STALE_RETRIES = 3;
const INSERT_INTO = /^\s*INSERT\s+INTO\s+("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)/i;
const TRANSLATION_CACHE_SIZE = 500;
const MIGRATION_LOCK_KEY = 'hostsim.migrations';

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const toNumber = (value: string): number => Number(value);
/** Per-query type parsers: BIGINT and NUMERIC as numbers; everything else as pg parses it. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8_OID || oid === NUMERIC_OID
    ? toNumber : pgTypes.getTypeParser(oid, format as 'text'))) as typeof pgTypes.getTypeParser,
};

interface Translated {
  readonly text: string;
  /** The table of an INSERT without its own RETURNING clause (physical name), else null. */
  readonly insertTable: string | null;
}

/** A 64-bit advisory lock key for a lock name (signed, as pg_advisory_lock takes it). */
export function advisoryLockKey(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest().readBigInt64BE(0).toString();
}

/** `?` → `$n` outside string literals, quoted identifiers and comments. */
export function numberPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = closing(sql, i, c);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length - 1 : end;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (c === '?') {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  return out;
}

/** Index of the quote closing the literal/identifier opened at `start` (a doubled quote is an escape). */
function closing(sql: string, start: number, quote: string): number {
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] !== quote) continue;
    if (sql[i + 1] === quote) { i++; continue; }
    return i;
  }
  return sql.length - 1;
}

function translate(sql: string): Translated {
  const text = numberPlaceholders(sql);
  const m = INSERT_INTO.exec(text);
  if (!m || /\bRETURNING\b/i.test(text)) return { text, insertTable: null };
  const name = m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1].toLowerCase();
  return { text, insertTable: name };
}

function normalise(params: readonly SqlValue[], sql: string): unknown[] {
  return params.map((p) => (p === undefined ? null : typeof p === 'boolean' ? (p ? 1 : 0) : typeof p === 'bigint' ? p.toString()
    : typeof p === 'string' && p.includes('\u0000') ? withoutNul(p, sql) : p));
}

/**
 * PostgreSQL refuses NUL in any text parameter, where SQLite and MariaDB compare it like any
 * other character with `=` (not with LIKE: SQLite's LIKE ends its pattern at a NUL, so searches
 * with a pattern refuse NUL before they reach the database). A read looks for U+FFFD in its place, so it finds what the other databases
 * find — nothing with a NUL, as nothing stored has one — instead of failing; a write is refused
 * as bad input (400), never silently changed.
 */
function withoutNul(value: string, sql: string): string {
  if (!isReadStatement(sql)) throw new HostError('INVALID_INPUT', 'Text with a NUL character cannot be stored');
  return value.replace(/\u0000/g, '\ufffd');
}

function toRaw(result: QueryArrayResult<unknown[]>): RawResult {
  if (!result.fields || result.fields.length === 0) return { rows: null, affected: result.rowCount ?? 0, insertId: 0 };
  const names = result.fields.map((f) => f.name.toUpperCase());
  const rows: Row[] = result.rows.map((values) => {
    const row: Row = {};
    for (let i = 0; i < names.length; i++) row[names[i]] = values[i];
    return row;
  });
  return { rows, affected: result.rowCount ?? 0, insertId: 0 };
}

type Runner = (config: QueryArrayConfig<unknown[]>) => Promise<QueryArrayResult<unknown[]>>;

export class PostgresBackend implements DatabaseBackend {
  readonly dialect = 'postgres' as const;
  private readonly translations = new Map<string, Translated>();
  /** Physical table name → its generated id column (null: the table has none). */
  private generatedIds: Map<string, string | null> | null = null;
  private loadingIds: Promise<Map<string, string | null>> | null = null;
  /** One connection of its own for {@link runReserved}, opened on first use. */
  private reservedPool: Pool | null = null;

  constructor(private readonly dataSource: DataSource) {}

  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  async run(sql: string, params: readonly SqlValue[]): Promise<RawResult> {
    const statement = await this.prepare(sql);
    return retryOnStaleConnection(sql, () => this.execute((config) => this.pool.query(config), statement, params), neverSent);
  }

  async runReserved(sql: string, params: readonly SqlValue[]): Promise<RawResult> {
    const statement = await this.prepare(sql);
    return retryOnStaleConnection(sql, () => this.execute((config) => this.reserved().query(config), statement, params));
  }

  private reserved(): Pool {
    if (!this.reservedPool) {
      // The DataSource's own connection settings (Database.open).
      const o = this.dataSource.options as unknown as {
        host?: string; port?: number; username?: string; password?: unknown; database?: string; applicationName?: string; connectTimeoutMS?: number;
      };
      const pool = new PgPool({
        host: o.host, port: o.port, user: o.username, password: typeof o.password === 'string' ? o.password : undefined, database: o.database,
        application_name: `${o.applicationName ?? 'hostsim'}-cluster`, connectionTimeoutMillis: o.connectTimeoutMS ?? 5000,
        max: 1, keepAlive: true, idleTimeoutMillis: 60000,
      });
      pool.on('error', () => { /* an idle connection died; the next query connects again */ });
      this.reservedPool = pool;
    }
    return this.reservedPool;
  }

  async transaction<T>(fn: (run: (sql: string, params: readonly SqlValue[]) => Promise<RawResult>) => Promise<T>): Promise<T> {
    const { client, failure } = await this.begin();
    let broken = false;
    try {
      let value: T;
      try {
        value = await fn(async (sql, params) => this.execute((config) => client.query(config), await this.prepare(sql), params));
      } catch (err) {
        broken = isConnectionError(err) || failure.error !== null;
        if (!broken) await client.query('ROLLBACK').catch(() => { broken = true; });
        throw err;
      }
      await client.query('COMMIT');
      return value;
    } catch (err) {
      broken = broken || isConnectionError(err) || failure.error !== null;
      throw err;
    } finally {
      client.removeListener('error', failure.listener);
      client.release(broken ? (failure.error ?? new Error('connection broken')) : undefined);
    }
  }

  /** Statements of the pool never block the event loop: an ordinary transaction. */
  backgroundTransaction<T>(fn: (run: (sql: string, params: readonly SqlValue[]) => Promise<RawResult>) => Promise<T>): Promise<T> {
    return this.transaction(fn);
  }

  async close(): Promise<void> {
    // The main pool is the DataSource's: destroyed with it.
    const reserved = this.reservedPool;
    this.reservedPool = null;
    if (reserved) await reserved.end().catch(() => { /* already broken: nothing to release */ });
  }

  async probe(): Promise<void> {
    await this.pool.query('SELECT 1 AS ok');
  }

  async withMigrationLock<T>(fn: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const failure = watch(client);
    try {
      await client.query("SET lock_timeout = '300s'");
      await client.query('SELECT pg_advisory_lock($1::bigint)', [advisoryLockKey(MIGRATION_LOCK_KEY)]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1::bigint)', [advisoryLockKey(MIGRATION_LOCK_KEY)]);
      }
    } finally {
      client.removeListener('error', failure.listener);
      // The session setting must not leak into the pool: this connection is closed, not reused.
      client.release(true);
    }
  }

  schemaChanged(): void {
    this.generatedIds = null;
  }

  private async execute(query: Runner, statement: Translated, params: readonly SqlValue[]): Promise<RawResult> {
    const idColumn = statement.insertTable === null ? null : await this.generatedIdOf(statement.insertTable);
    const text = idColumn ? `${statement.text} RETURNING "${idColumn.replace(/"/g, '""')}"` : statement.text;
    const result = await query({ text, values: normalise(params, statement.text), rowMode: 'array', types: TYPES });
    if (!idColumn) return toRaw(result);
    const first = result.rows[0];
    return { rows: null, affected: result.rowCount ?? 0, insertId: first ? Number(first[0]) : 0 };
  }

  private async prepare(sql: string): Promise<Translated> {
    let statement = this.translations.get(sql);
    if (!statement) {
      statement = translate(sql);
      this.translations.set(sql, statement);
      if (this.translations.size > TRANSLATION_CACHE_SIZE) this.translations.delete(this.translations.keys().next().value as string);
    }
    return statement;
  }

  /** The generated id column of a table, from information_schema (reloaded when a table is new to it). */
  private async generatedIdOf(table: string): Promise<string | null> {
    if (this.generatedIds?.has(table)) return this.generatedIds.get(table) ?? null;
    this.loadingIds ??= this.loadGeneratedIds().finally(() => { this.loadingIds = null; });
    this.generatedIds = await this.loadingIds;
    return this.generatedIds.get(table) ?? null;
  }

  private async loadGeneratedIds(): Promise<Map<string, string | null>> {
    const result = await this.pool.query<{ table_name: string; column_name: string | null }>(
      `SELECT t.table_name, c.column_name FROM information_schema.tables t
         LEFT JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name
          AND (c.column_default LIKE 'nextval(%' OR c.is_identity = 'YES')
        WHERE t.table_schema = current_schema()`);
    const map = new Map<string, string | null>();
    for (const row of result.rows) if (!map.get(row.table_name)) map.set(row.table_name, row.column_name);
    return map;
  }

  /** A pooled connection with an open transaction; stale connections are replaced (nothing ran yet). */
  private async begin(): Promise<{ client: PoolClient; failure: Watched }> {
    for (let attempt = 0; ; attempt++) {
      const client = await this.pool.connect();
      const failure = watch(client);
      try {
        await client.query('BEGIN');
        return { client, failure };
      } catch (err) {
        client.removeListener('error', failure.listener);
        client.release(err instanceof Error ? err : new Error(String(err)));
        if (attempt >= STALE_RETRIES || !isConnectionError(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  }
}

interface Watched {
  error: Error | null;
  readonly listener: (err: Error) => void;
}

/**
 * A checked-out pg client has no error listener of the pool's: a connection that dies while the
 * caller awaits something else would be an unhandled 'error' event. Record it instead.
 */
function watch(client: PoolClient): Watched {
  const watched: Watched = { error: null, listener: (err: Error) => { watched.error = err; } };
  client.on('error', watched.listener);
  return watched;
}

function neverSent(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  const message = String((err as Error)?.message ?? '');
  return code === 'ECONNREFUSED' || /not queryable|timeout exceeded when trying to connect/i.test(message);
}
