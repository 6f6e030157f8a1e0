import type { Dialect } from './dbUrl';

export type SqlValue = string | number | bigint | boolean | null | undefined | Buffer;
export type Row = Record<string, unknown>;

/** What a statement that returns no rows reports. */
export interface ExecResult {
  /** Rows matched/changed (MySQL is connected with FOUND_ROWS, so every dialect counts matched rows). */
  readonly affected: number;
  /** The generated id of an INSERT into a table with an auto-increment key, else 0. */
  readonly insertId: number;
}

/** Runs SQL on the host database, standalone or inside a transaction. */
export interface SqlRunner {
  readonly dialect: Dialect;
  /** Runs a statement that returns rows. */
  query<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a statement that changes data. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<ExecResult>;
}

/** A runner that can also open a transaction (the database itself, not a transaction). */
export interface TransactionalSqlRunner extends SqlRunner {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
}

/** Raw result of one statement as a backend reports it. */
export interface RawResult {
  readonly rows: Row[] | null;
  readonly affected: number;
  readonly insertId: number;
}

/** A dialect's connection handling, below the counting/error-mapping layer. */
export interface DatabaseBackend {
  readonly dialect: Dialect;
  run(sql: string, params: readonly SqlValue[]): Promise<RawResult>;
  /**
   * A read on a connection of its own, outside the pool that request statements queue for
   * (opened on first use, closed by {@link close}); SQLite, which runs statements synchronously
   * on one connection, runs it as {@link run}.
   */
  runReserved(sql: string, params: readonly SqlValue[]): Promise<RawResult>;
  transaction<T>(fn: (run: (sql: string, params: readonly SqlValue[]) => Promise<RawResult>) => Promise<T>): Promise<T>;
  /**
   * A transaction that nothing on the request path waits for, kept off the event loop: SQLite
   * runs it on a worker thread's own connection; the pooled backends, whose statements never
   * block the event loop, run it as {@link transaction}.
   */
  backgroundTransaction<T>(fn: (run: (sql: string, params: readonly SqlValue[]) => Promise<RawResult>) => Promise<T>): Promise<T>;
  /** Releases what the backend holds beside the DataSource (SQLite's writer thread). */
  close(): Promise<void>;
  /** Cheap round trip (reconnects/reopens when needed); throws when the database is unreachable. */
  probe(): Promise<void>;
  /**
   * Runs `fn` while holding the database-wide migration lock (MySQL `GET_LOCK`, a PostgreSQL
   * advisory lock, one SQLite write transaction around the whole run).
   */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T>;
  /** Forget what the backend knows about the schema (after migrations ran or were reverted). */
  schemaChanged(): void;
}

/** Dialect-specific SQL fragments used by the host services. */
export interface SqlDialectHelpers {
  /** A quoted identifier (`"X"` on SQLite and PostgreSQL, `` `X` `` on MySQL). */
  quote(identifier: string): string;
  /**
   * An INSERT of one row that does nothing when a row with the same primary/unique key exists
   * (`INSERT OR IGNORE` / `INSERT IGNORE` / `ON CONFLICT DO NOTHING`); the statement then
   * reports 0 affected rows. `values` are the value expressions (default: one `?` per column).
   */
  insertIgnore(table: string, columns: readonly string[], values?: readonly string[]): string;
  /**
   * An INSERT that updates `updateColumns` with the new values when a row with the same
   * primary/unique key exists (`ON CONFLICT … DO UPDATE` / `ON DUPLICATE KEY UPDATE`).
   */
  upsert(table: string, keyColumns: readonly string[], columns: readonly string[], updateColumns: readonly string[]): string;
}

export function dialectHelpers(dialect: Dialect): SqlDialectHelpers {
  const valuesOf = (columns: readonly string[], values?: readonly string[]) => {
    if (values && values.length !== columns.length) throw new Error('insertIgnore needs one value expression per column');
    return (values ?? columns.map(() => '?')).join(', ');
  };
  const insert = (table: string, columns: readonly string[]) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${valuesOf(columns)})`;
  if (dialect === 'mysql') {
    return {
      quote: (id) => `\`${id.replace(/`/g, '``')}\``,
      insertIgnore: (table, columns, values) => `INSERT IGNORE INTO ${table} (${columns.join(', ')}) VALUES (${valuesOf(columns, values)})`,
      upsert: (table, _keys, columns, updates) => `${insert(table, columns)} ON DUPLICATE KEY UPDATE `
        + updates.map((c) => `${c} = VALUES(${c})`).join(', '),
    };
  }
  return {
    quote: (id) => `"${id.replace(/"/g, '""')}"`,
    insertIgnore: dialect === 'sqlite'
      ? (table, columns, values) => `INSERT OR IGNORE INTO ${table} (${columns.join(', ')}) VALUES (${valuesOf(columns, values)})`
      : (table, columns, values) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${valuesOf(columns, values)}) ON CONFLICT DO NOTHING`,
    upsert: (table, keys, columns, updates) => `${insert(table, columns)} ON CONFLICT (${keys.join(', ')}) DO UPDATE SET `
      + updates.map((c) => `${c} = excluded.${c}`).join(', '),
  };
}
