// The host database: a TypeORM DataSource (used for migrations) plus a thin, counted,
// outage-aware SQL layer on the driver's own connection that every host service uses.
import fs from 'node:fs';
import path from 'node:path';
import { DataSource, type MigrationInterface } from 'typeorm';
import type { Logger } from 'winston';
import { ServiceUnavailableError } from '../../spi/errors';
import type { DatabaseHealth } from '../HostRuntime';
import { requireBinaryCollation } from './collationCheck';
import { isBusyError, isConnectionError, isTransactionConflict } from './connectionErrors';
import { parseDbUrl, type Dialect, type ParsedDbUrl } from './dbUrl';
import { MysqlBackend } from './MysqlBackend';
import { PostgresBackend } from './PostgresBackend';
import { SQLITE_BUSY_TIMEOUT_MS, SqliteBackend } from './SqliteBackend';
import {
  dialectHelpers, type DatabaseBackend, type ExecResult, type RawResult, type Row, type SqlDialectHelpers,
  type SqlRunner, type SqlValue, type TransactionalSqlRunner,
} from './SqlRunner';

const PROBE_INTERVAL_MS = 1000;

/** Per-statement options of the host database. */
export interface StatementOptions {
  /**
   * Housekeeping that runs on a timer (cluster polling, pruning) rather than for a request:
   * not counted in {@link Database.statementCounts}, which measures the request path.
   */
  readonly background?: boolean;
  /**
   * A read on the backend's reserved connection, which no request statement uses, so that it
   * never waits behind them in the pool's queue (the cluster change-log poll: a node whose pool
   * is saturated must still learn of revocations, and must not look cut off).
   */
  readonly reserved?: boolean;
}
const READ_STATEMENT = /^\s*(SELECT|WITH|PRAGMA|SHOW|EXPLAIN|DESCRIBE)\b/i;

/** Options of {@link Database.transaction}. */
export interface TransactionOptions {
  /**
   * Run the whole transaction again (at most this many more times, after a short random pause)
   * when the database rolled it back as a deadlock victim or for a serialization failure.
   * `fn` must then be safe to run more than once: it may only change the database.
   */
  readonly conflictRetries?: number;
}

/** Upper bound of the random pause before retry n (1-based): 10 ms, 20 ms, 40 ms … capped at 200 ms. */
export function conflictBackoffMs(retry: number): number {
  return Math.min(200, 10 * 2 ** (retry - 1));
}

/**
 * A new SQLite file (and the folders it needs) readable and writable by this user only, whatever
 * the umask: it holds password and token hashes, the audit log and the mail outbox, and SQLite
 * gives its -wal and -shm files the database file's mode. An existing file keeps its mode.
 */
function createPrivately(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch {
    // It exists, or it cannot be created: SQLite opens it or says why it cannot (SQLITE_CANTOPEN).
  }
}

export class Database implements DatabaseHealth, TransactionalSqlRunner {
  readonly dialect: Dialect;
  readonly sql: SqlDialectHelpers;
  private available = true;
  private reads = 0;
  private writes = 0;
  private probeTimer: NodeJS.Timeout | null = null;
  private closed = false;

  private constructor(
    readonly dataSource: DataSource,
    private readonly backend: DatabaseBackend,
    readonly url: ParsedDbUrl,
    private readonly logger: Logger,
  ) {
    this.dialect = backend.dialect;
    this.sql = dialectHelpers(this.dialect);
  }

  /** Connects; rejects with an Error naming the URL (without its password) when that fails. */
  static async open(dbUrl: string, logger: Logger): Promise<Database> {
    const url = parseDbUrl(dbUrl);
    const dataSource = new DataSource(url.dialect === 'sqlite'
      ? {
        type: 'better-sqlite3', database: url.file, enableWAL: true, timeout: SQLITE_BUSY_TIMEOUT_MS,
        synchronize: false, migrationsRun: false, logging: false, migrationsTableName: 'HOST_SCHEMA_MIGRATIONS',
      }
      : url.dialect === 'postgres'
        ? {
          type: 'postgres', host: url.host, port: url.port, username: url.user, password: url.password,
          database: url.database, connectTimeoutMS: 5000, poolSize: 10, synchronize: false, migrationsRun: false,
          logging: false, installExtensions: false, applicationName: 'hostsim',
          // The host's own tables are lower case on PostgreSQL (see db/migrations/columns.ts).
          migrationsTableName: 'host_schema_migrations',
          extra: { keepAlive: true, idleTimeoutMillis: 60000 },
          poolErrorHandler: () => { /* an idle connection died; the pool drops it, the next statement reconnects */ },
        }
        : {
          type: 'mysql', host: url.host, port: url.port, username: url.user, password: url.password,
          database: url.database, charset: 'utf8mb4', supportBigNumbers: true, bigNumberStrings: false,
          connectTimeout: 5000, poolSize: 10, synchronize: false, migrationsRun: false, logging: false,
          migrationsTableName: 'HOST_SCHEMA_MIGRATIONS',
          // trace: false — mysql2's promise API otherwise captures a stack trace for every
          // statement (Error.captureStackTrace, ~30 µs per statement on a busy node in a CPU
          // profile) only to decorate errors; the host maps errors itself (mapError).
          extra: { enableKeepAlive: true, idleTimeout: 60000, maxIdle: 4, trace: false },
        });
    try {
      if (url.dialect === 'sqlite') createPrivately(url.file);
      await dataSource.initialize();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`Cannot open the host database ${url.redacted}: ${reason}`, { cause: err });
    }
    if (url.dialect === 'mysql') {
      try {
        await requireBinaryCollation(dataSource, url.database);
      } catch (err) {
        await dataSource.destroy().catch(() => undefined);
        throw err;
      }
    }
    const backend = url.dialect === 'sqlite' ? new SqliteBackend(dataSource, url.file)
      : url.dialect === 'postgres' ? new PostgresBackend(dataSource) : new MysqlBackend(dataSource);
    return new Database(dataSource, backend, url, logger);
  }

  isAvailable(): boolean {
    return this.available;
  }

  statementCounts(): { reads: number; writes: number } {
    return { reads: this.reads, writes: this.writes };
  }

  async query<T = Row>(sql: string, params: readonly SqlValue[] = [], options: StatementOptions = {}): Promise<T[]> {
    const raw = await this.guard(sql, options, () => (options.reserved ? this.backend.runReserved(sql, params) : this.backend.run(sql, params)));
    return (raw.rows ?? []) as T[];
  }

  async execute(sql: string, params: readonly SqlValue[] = [], options: StatementOptions = {}): Promise<ExecResult> {
    const raw = await this.guard(sql, options, () => this.backend.run(sql, params));
    return { affected: raw.affected, insertId: raw.insertId };
  }

  async transaction<T>(fn: (tx: SqlRunner) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.runTransaction(fn, options, false);
  }

  /**
   * A transaction for bulk bookkeeping writes that no request waits for, kept off the event loop
   * (SQLite: on a writer thread with its own connection, see SqliteBackend). `fn` should only
   * write: on SQLite its reads see the writer connection's snapshot.
   */
  async backgroundTransaction<T>(fn: (tx: SqlRunner) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.runTransaction(fn, options, true);
  }

  private async runTransaction<T>(fn: (tx: SqlRunner) => Promise<T>, options: TransactionOptions, background: boolean): Promise<T> {
    const retries = Math.max(0, Math.floor(options.conflictRetries ?? 0));
    for (let retry = 0; ; retry++) {
      this.assertOpen();
      try {
        const body = (run: (sql: string, params: readonly SqlValue[]) => Promise<RawResult>) => fn(this.transactionRunner(run));
        const value = await (background ? this.backend.backgroundTransaction(body) : this.backend.transaction(body));
        this.markAvailable();
        return value;
      } catch (err) {
        if (retry < retries && isTransactionConflict(err) && !isConnectionError(err)) {
          this.logger.debug('Transaction conflict; running it again', { retry: retry + 1 });
          // Full jitter: the competing transactions must not collide again in lock step.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * conflictBackoffMs(retry + 1)));
          continue;
        }
        throw this.mapError(err);
      }
    }
  }

  /**
   * Runs `fn` while holding a database-wide migration lock, so that nodes starting at the same
   * time do not migrate concurrently: MySQL `GET_LOCK`, a PostgreSQL advisory lock; on SQLite one
   * write transaction around the whole run (taken with asynchronous retries, so runtimes in one
   * process do not deadlock), which also makes the run all-or-nothing.
   */
  async withMigrationLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.backend.withMigrationLock(fn);
  }

  /**
   * Runs TypeORM migrations that have not run yet, in order; returns the names it ran. On SQLite
   * call it inside {@link withMigrationLock}, which provides the transaction.
   */
  async runMigrations(migrations: readonly MigrationInterface[]): Promise<string[]> {
    (this.dataSource as unknown as { migrations: MigrationInterface[] }).migrations = [...migrations];
    try {
      const ran = await this.dataSource.runMigrations({ transaction: this.migrationTransactionMode() });
      return ran.map((m) => m.name);
    } finally {
      this.backend.schemaChanged();
    }
  }

  /** Reverts the most recent executed migration among `migrations` (schema tests, tooling). */
  async revertLastMigration(migrations: readonly MigrationInterface[]): Promise<void> {
    (this.dataSource as unknown as { migrations: MigrationInterface[] }).migrations = [...migrations];
    try {
      await this.dataSource.undoLastMigration({ transaction: this.migrationTransactionMode() });
    } finally {
      this.backend.schemaChanged();
    }
  }

  private migrationTransactionMode(): 'each' | 'none' {
    // SQLite runs migrations inside withMigrationLock's transaction; nesting BEGIN would fail.
    return this.dialect === 'sqlite' ? 'none' : 'each';
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    await this.backend.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private transactionRunner(run: (sql: string, params: readonly SqlValue[]) => Promise<RawResult>): SqlRunner {
    return {
      dialect: this.dialect,
      query: async <T = Row>(sql: string, params: readonly SqlValue[] = []) => {
        this.count(sql);
        return ((await run(sql, params)).rows ?? []) as T[];
      },
      execute: async (sql: string, params: readonly SqlValue[] = []) => {
        this.count(sql);
        const raw = await run(sql, params);
        return { affected: raw.affected, insertId: raw.insertId };
      },
    };
  }

  private async guard(sql: string, options: StatementOptions, fn: () => Promise<RawResult>): Promise<RawResult> {
    this.assertOpen();
    if (!options.background) this.count(sql);
    try {
      const raw = await fn();
      this.markAvailable();
      return raw;
    } catch (err) {
      throw this.mapError(err);
    }
  }

  private count(sql: string): void {
    if (READ_STATEMENT.test(sql)) this.reads++; else this.writes++;
  }

  private assertOpen(): void {
    if (this.closed) throw new ServiceUnavailableError('The host database has been closed');
  }

  private mapError(err: unknown): unknown {
    if (err instanceof ServiceUnavailableError) return err;
    if (isBusyError(err)) {
      // Locked by another writer for longer than the retry deadline: unavailable, but not down.
      return new ServiceUnavailableError('The host database is busy', { cause: err });
    }
    if (this.closed || isConnectionError(err)) {
      this.markUnavailable(err);
      return new ServiceUnavailableError(`The host database is unavailable (${this.url.redacted})`, { cause: err });
    }
    return err;
  }

  private markAvailable(): void {
    if (this.available) return;
    this.available = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    this.logger.info('Host database is reachable again', { db: this.url.redacted });
  }

  private markUnavailable(err: unknown): void {
    if (this.closed) return;
    if (this.available) {
      this.logger.error('Host database is unreachable', { db: this.url.redacted, error: String((err as Error)?.message ?? err) });
    }
    this.available = false;
    if (this.probeTimer) return;
    this.probeTimer = setInterval(() => {
      this.backend.probe().then(() => this.markAvailable(), () => { /* still down; next probe in a second */ });
    }, PROBE_INTERVAL_MS);
    this.probeTimer.unref();
  }
}
