// SQLite through the better-sqlite3 handle that TypeORM opened. Statements run synchronously on
// one connection, so a transaction (which spans awaits) must keep every other statement of this
// node out until it ends; writers of other connections to the same file (a second runtime in the
// same process) are waited for asynchronously, because a long busy timeout would block the event
// loop that the lock holder needs to finish.
import BetterSqlite3 from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { isBusyError } from './connectionErrors';
import type { DatabaseBackend, RawResult, Row, SqlValue } from './SqlRunner';

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

  constructor(private readonly dataSource: DataSource, private readonly file: string) {}

  private get handle(): Handle {
    return (this.dataSource.driver as unknown as { databaseConnection: Handle }).databaseConnection;
  }

  async run(sql: string, params: readonly SqlValue[]): Promise<RawResult> {
    // Re-check after every wait: a retry must never land inside another caller's transaction.
    return this.withBusyRetry(() => this.runNow(sql, params), true);
  }

  async transaction<T>(fn: (run: (sql: string, params: readonly SqlValue[]) => Promise<RawResult>) => Promise<T>): Promise<T> {
    const previous = this.txTail;
    let release!: () => void;
    this.txTail = new Promise<void>((resolve) => { release = resolve; });
    await previous;
    let finish!: () => void;
    this.txDone = new Promise<void>((resolve) => { finish = resolve; });
    this.txActive = true;
    try {
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
    } finally {
      this.txActive = false;
      finish();
      release();
    }
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
    const bound = params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p === undefined ? null : p));
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

  private async withBusyRetry<T>(fn: () => T, outsideTransaction = false): Promise<T> {
    const deadline = Date.now() + BUSY_RETRY_DEADLINE_MS;
    for (let attempt = 0; ; attempt++) {
      if (outsideTransaction) {
        while (this.txActive) await this.txDone;
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
