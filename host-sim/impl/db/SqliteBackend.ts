// SQLite through the better-sqlite3 handle that TypeORM opened. Statements run synchronously on
// one connection, so a transaction (which spans awaits) must keep every other statement of this
// node out until it ends; writers of other connections to the same file (a second runtime in the
// same process) are waited for asynchronously, because a long busy timeout would block the event
// loop that the lock holder needs to finish.
import BetterSqlite3 from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { isBusyError } from './connectionErrors';
import type { DatabaseBackend, RawResult, Row, SqlValue } from './SqlRunner';
import { sqliteBindValues, SqliteWriterThread } from './SqliteWriterThread';

type Handle = BetterSqlite3.Database;
type Statement = BetterSqlite3.Statement;

const BUSY_RETRY_DEADLINE_MS = 15000;
const STATEMENT_CACHE_SIZE = 300;
export const SQLITE_BUSY_TIMEOUT_MS = 20;

export class SqliteBackend implements DatabaseBackend {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Statement>();
  private txTail: Promise<void> = Promise.resolve();
  private txActive = false;
  private txDone: Promise<void> = Promise.resolve();
  /** Set while the writer thread holds the write lock: writes of this connection wait for it. */
  private backgroundActive = false;
  private backgroundDone: Promise<void> = Promise.resolve();
  private writer: SqliteWriterThread | null = null;

  constructor(private readonly dataSource: DataSource, private readonly file: string) {}

  private get handle(): Handle {
    return (this.dataSource.driver as unknown as { databaseConnection: Handle }).databaseConnection;
  }

  async run(sql: string, params: readonly SqlValue[]): Promise<RawResult> {
    // Re-check after every wait: a retry must never land inside another caller's transaction.
    return this.withBusyRetry(() => this.runNow(sql, params), sql);
  }

  runReserved(sql: string, params: readonly SqlValue[]): Promise<RawResult> {
    return this.run(sql, params);
  }

  async transaction<T>(fn: (run: (sql: string, params: readonly SqlValue[]) => Promise<RawResult>) => Promise<T>): Promise<T> {
    return this.inWriteTurn('connection', async () => {
      await this.withBusyRetry(() => this.runNow('BEGIN IMMEDIATE', []));
      let value: T;
      try {
        value = await fn(async (sql, params) => this.runNow(sql, params));
      } catch (err) {
        try { this.runNow('ROLLBACK', []); } catch { /* the transaction may already be gone */ }
        throw err;
      }
      this.runNow('COMMIT', []);
      return value;
    });
  }

  /**
   * The transaction runs on the writer thread's own connection, so neither its statements nor its
   * COMMIT (which writes, syncs and checkpoints the WAL) block this thread's event loop. It is
   * queued with this connection's transactions (SQLite has one writer at a time); meanwhile this
   * connection keeps reading (WAL: the last committed state), and its writes wait asynchronously.
   */
  async backgroundTransaction<T>(fn: (run: (sql: string, params: readonly SqlValue[]) => Promise<RawResult>) => Promise<T>): Promise<T> {
    return this.inWriteTurn('writer', async () => {
      if (!this.writer?.usable) this.writer = new SqliteWriterThread(this.file);
      const writer = this.writer;
      await writer.run('BEGIN IMMEDIATE', []);
      let value: T;
      try {
        value = await fn((sql, params) => writer.run(sql, params));
      } catch (err) {
        await writer.run('ROLLBACK', []).catch(() => { /* the transaction may already be gone */ });
        throw err;
      }
      await writer.run('COMMIT', []);
      return value;
    });
  }

  /**
   * Runs `body` when every transaction queued before it has ended. While it runs, statements
   * outside it wait: all of them when it is on this `connection` (they would land inside it),
   * only writes when it is on the `writer` thread.
   */
  private async inWriteTurn<T>(on: 'connection' | 'writer', body: () => Promise<T>): Promise<T> {
    const previous = this.txTail;
    let release!: () => void;
    this.txTail = new Promise<void>((resolve) => { release = resolve; });
    await previous;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => { finish = resolve; });
    if (on === 'connection') {
      this.txDone = done;
      this.txActive = true;
    } else {
      this.backgroundDone = done;
      this.backgroundActive = true;
    }
    try {
      return await body();
    } finally {
      if (on === 'connection') this.txActive = false;
      else this.backgroundActive = false;
      finish();
      release();
    }
  }

  async close(): Promise<void> {
    const writer = this.writer;
    this.writer = null;
    if (writer) await writer.close();
  }

  /** One write transaction around the whole run, which also makes it all-or-nothing. */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.transaction(() => fn());
  }

  schemaChanged(): void {
    // SQLite re-prepares cached statements itself when the schema has changed.
  }

  async probe(): Promise<void> {
    if (!this.handle || !this.handle.open) this.reopen();
    this.handle.prepare('SELECT 1 AS ok').get();
  }

  private reopen(): void {
    const handle = new BetterSqlite3(this.file, { timeout: SQLITE_BUSY_TIMEOUT_MS, fileMustExist: true });
    handle.pragma('journal_mode = WAL');
    handle.pragma('foreign_keys = ON');
    (this.dataSource.driver as unknown as { databaseConnection: Handle }).databaseConnection = handle;
    this.statements.clear();
  }

  private runNow(sql: string, params: readonly SqlValue[]): RawResult {
    const stmt = this.statement(sql);
    const bound = sqliteBindValues(params);
    if (stmt.reader) {
      return { rows: stmt.all(...bound) as Row[], affected: 0, insertId: 0 };
    }
    const info = stmt.run(...bound);
    return { rows: null, affected: info.changes, insertId: Number(info.lastInsertRowid) };
  }

  private statement(sql: string): Statement {
    const handle = this.handle;
    let stmt = this.statements.get(sql);
    if (stmt && stmt.database !== handle) {
      this.statements.clear();
      stmt = undefined;
    }
    if (!stmt) {
      stmt = handle.prepare(sql);
      this.statements.set(sql, stmt);
      if (this.statements.size > STATEMENT_CACHE_SIZE) {
        const oldest = this.statements.keys().next().value as string;
        this.statements.delete(oldest);
      }
    }
    return stmt;
  }

  /** `statement`: the SQL of a statement outside any transaction, which waits for transactions in progress. */
  private async withBusyRetry<T>(fn: () => T, statement: string | null = null): Promise<T> {
    const deadline = Date.now() + BUSY_RETRY_DEADLINE_MS;
    for (let attempt = 0; ; attempt++) {
      if (statement !== null) {
        while (this.txActive) await this.txDone;
        // The writer thread holds the write lock: a write here would only spin on SQLITE_BUSY.
        while (this.backgroundActive && !this.statement(statement).reader) await this.backgroundDone;
      }
      try {
        return fn();
      } catch (err) {
        if (!isBusyError(err) || Date.now() > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2 + attempt * 3, 50)));
      }
    }
  }
}
