import type { Dialect } from './dbUrl';

export type SqlValue = string | number | bigint | boolean | null | undefined | Buffer;
export type Row = Record<string, unknown>;

/** What a statement that returns no rows reports. */
export interface ExecResult {
  /** Rows matched/changed (MySQL is connected with FOUND_ROWS, so both dialects count matched rows). */
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
  transaction<T>(fn: (run: (sql: string, params: readonly SqlValue[]) => Promise<RawResult>) => Promise<T>): Promise<T>;
  /** Cheap round trip (reconnects/reopens when needed); throws when the database is unreachable. */
  probe(): Promise<void>;
}

/** Dialect-specific SQL fragments used by the host services. */
export interface SqlDialectHelpers {
  quote(identifier: string): string;
  /** `INSERT OR IGNORE` / `INSERT IGNORE`. */
  insertIgnore(): string;
  /**
   * An INSERT that updates `updateColumns` with the new values when a row with the same
   * primary/unique key exists (`ON CONFLICT … DO UPDATE` / `ON DUPLICATE KEY UPDATE`).
   */
  upsert(table: string, keyColumns: readonly string[], columns: readonly string[], updateColumns: readonly string[]): string;
}

export function dialectHelpers(dialect: Dialect): SqlDialectHelpers {
  const insert = (table: string, columns: readonly string[]) =>
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
  if (dialect === 'sqlite') {
    return {
      quote: (id) => `"${id.replace(/"/g, '""')}"`,
      insertIgnore: () => 'INSERT OR IGNORE',
      upsert: (table, keys, columns, updates) => `${insert(table, columns)} ON CONFLICT (${keys.join(', ')}) DO UPDATE SET `
        + updates.map((c) => `${c} = excluded.${c}`).join(', '),
    };
  }
  return {
    quote: (id) => `\`${id.replace(/`/g, '``')}\``,
    insertIgnore: () => 'INSERT IGNORE',
    upsert: (table, _keys, columns, updates) => `${insert(table, columns)} ON DUPLICATE KEY UPDATE `
      + updates.map((c) => `${c} = VALUES(${c})`).join(', '),
  };
}
