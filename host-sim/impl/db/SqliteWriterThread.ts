// A worker thread with its own connection to a SQLite file (sqliteWriterWorker.js), for the
// large write transactions that nothing on the request path waits for: better-sqlite3 runs every
// statement synchronously, so a last-access flush of tens of thousands of rows on the host's own
// connection (statements of ~7 ms and a COMMIT of hundreds of milliseconds that writes and
// checkpoints the WAL) would stop every request meanwhile.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RawResult, SqlValue } from './SqlRunner';

/** How long the writer thread's connection waits for another writer (it blocks only that thread). */
const WRITER_BUSY_TIMEOUT_MS = 15000;
/** Statements the thread keeps prepared; beyond, both sides start over. */
const STATEMENTS_KEPT = 100;

interface Reply {
  readonly id: number;
  readonly rows?: Record<string, unknown>[] | null;
  readonly affected?: number;
  readonly insertId?: number;
  readonly error?: { readonly name?: string; readonly message: string; readonly code?: string };
}

/** Bind values as better-sqlite3 takes them: booleans as 1/0, undefined as NULL. */
export function sqliteBindValues(params: readonly SqlValue[]): SqlValue[] {
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p === undefined ? null : p));
}

/** The error a statement failed with in the worker, with its SQLite `code` (connectionErrors.ts reads it). */
export class SqliteWriterError extends Error {
  constructor(message: string, readonly code: string | undefined, name?: string) {
    super(message);
    this.name = name || 'SqliteError';
  }
}

export class SqliteWriterThread {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(r: RawResult): void; reject(err: unknown): void }>();
  private failure: Error | null = null;
  /** Statement numbers by SQL: the text (a flush's is ~160 KB) crosses to the thread once. */
  private readonly statements = new Map<string, number>();
  /** After a failed statement (perhaps one that did not prepare), both sides start over. */
  private resetNext = false;

  constructor(file: string) {
    this.worker = new Worker(path.join(__dirname, 'sqliteWriterWorker.js'), {
      workerData: { file, driver: require.resolve('better-sqlite3'), busyTimeoutMs: WRITER_BUSY_TIMEOUT_MS },
    });
    // Idle between flushes it must not keep the process alive; busy, it must (see run).
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => this.settle(reply));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`SQLite writer thread exited (${code})`)));
  }

  /** Runs one statement on the writer thread's connection. */
  run(sql: string, params: readonly SqlValue[]): Promise<RawResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const bound = sqliteBindValues(params);
    let reset = this.resetNext;
    if (reset || (!this.statements.has(sql) && this.statements.size >= STATEMENTS_KEPT)) {
      this.statements.clear();
      reset = true;
      this.resetNext = false;
    }
    let stmt = this.statements.get(sql);
    const fresh = stmt === undefined;
    if (stmt === undefined) {
      stmt = this.statements.size + 1;
      this.statements.set(sql, stmt);
    }
    return new Promise<RawResult>((resolve, reject) => {
      // A statement under way keeps the process alive until it is answered (a final flush on exit).
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, stmt, sql: fresh ? sql : undefined, reset, params: bound });
    });
  }

  /** Whether the thread can take statements (it is replaced when it died). */
  get usable(): boolean {
    return this.failure === null;
  }

  async close(): Promise<void> {
    this.failure ??= new Error('SQLite writer thread closed');
    await this.worker.terminate();
  }

  private settle(reply: Reply): void {
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (reply.error) {
      this.resetNext = true;
      waiter.reject(new SqliteWriterError(reply.error.message, reply.error.code, reply.error.name));
    } else {
      waiter.resolve({ rows: reply.rows ?? null, affected: reply.affected ?? 0, insertId: reply.insertId ?? 0 });
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}
