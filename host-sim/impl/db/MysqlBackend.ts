// MySQL/MariaDB through the mysql2 pool that TypeORM created. The pool drops broken connections
// and opens new ones on demand, so recovering from an outage needs no reconnect logic here.
import mysql, { type Pool as CallbackPool } from 'mysql2';
import type { Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { isConnectionError, retryOnStaleConnection } from './connectionErrors';
import type { DatabaseBackend, RawResult, Row, SqlValue } from './SqlRunner';

export class MysqlBackend implements DatabaseBackend {
  readonly dialect = 'mysql' as const;

  private promisePool: Pool | null = null;
  /** One connection of its own for {@link runReserved}, opened on first use. */
  private reservedPool: Pool | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /** The promise face of TypeORM's pool, made once (`pool.promise()` builds a new wrapper per call). */
  private get pool(): Pool {
    this.promisePool ??= (this.dataSource.driver as unknown as { pool: CallbackPool }).pool.promise();
    return this.promisePool;
  }

  async run(sql: string, params: readonly SqlValue[]): Promise<RawResult> {
    return retryOnStaleConnection(sql, async () => toRaw(await this.pool.query(sql, normalise(params))), neverSent);
  }

  async runReserved(sql: string, params: readonly SqlValue[]): Promise<RawResult> {
    return retryOnStaleConnection(sql, async () => toRaw(await this.reserved().query(sql, normalise(params))));
  }

  private reserved(): Pool {
    if (!this.reservedPool) {
      // The DataSource's own connection settings (Database.open).
      const o = this.dataSource.options as unknown as {
        host?: string; port?: number; username?: string; password?: string; database?: string; charset?: string; connectTimeout?: number;
      };
      this.reservedPool = mysql.createPool({
        host: o.host, port: o.port, user: o.username, password: o.password, database: o.database, charset: o.charset,
        supportBigNumbers: true, bigNumberStrings: false, connectTimeout: o.connectTimeout ?? 5000,
        connectionLimit: 1, maxIdle: 1, idleTimeout: 60000, enableKeepAlive: true, trace: false,
      }).promise();
    }
    return this.reservedPool;
  }

  async transaction<T>(fn: (run: (sql: string, params: readonly SqlValue[]) => Promise<RawResult>) => Promise<T>): Promise<T> {
    const conn = await this.begin();
    let broken = false;
    try {
      let value: T;
      try {
        value = await fn(async (sql, params) => toRaw(await conn.query(sql, normalise(params))));
      } catch (err) {
        broken = isConnectionError(err);
        if (!broken) await rollbackQuietly(conn);
        throw err;
      }
      await conn.query('COMMIT');
      return value;
    } catch (err) {
      broken = broken || isConnectionError(err);
      throw err;
    } finally {
      if (broken) conn.destroy(); else conn.release();
    }
  }

  /** A pooled connection with an open transaction; stale connections are replaced (nothing ran yet). */
  private async begin(): Promise<PoolConnection> {
    for (let attempt = 0; ; attempt++) {
      const conn = await this.pool.getConnection();
      try {
        await conn.query('START TRANSACTION');
        return conn;
      } catch (err) {
        conn.destroy();
        if (attempt >= STALE_RETRIES || !isConnectionError(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
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
    const conn = await this.pool.getConnection();
    try {
      const [rows] = await conn.query("SELECT GET_LOCK('hostsim.migrations', 300) AS GOT");
      if (Number((rows as Array<{ GOT: number }>)[0]?.GOT) !== 1) throw new Error('Timed out waiting for another node to finish migrating');
      try {
        return await fn();
      } finally {
        await conn.query("SELECT RELEASE_LOCK('hostsim.migrations')");
      }
    } finally {
      conn.release();
    }
  }

  schemaChanged(): void {
    // Nothing cached about the schema.
  }
}

const STALE_RETRIES = 3;

function neverSent(err: unknown): boolean {
  const message = String((err as Error)?.message ?? '');
  const code = (err as { code?: unknown })?.code;
  return /closed state|enqueue after fatal error/i.test(message) || code === 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR'
    || code === 'ECONNREFUSED';
}

async function rollbackQuietly(conn: PoolConnection): Promise<void> {
  try { await conn.query('ROLLBACK'); } catch { /* the connection is discarded by the caller if broken */ }
}

function normalise(params: readonly SqlValue[]): unknown[] {
  return params.map((p) => (p === undefined ? null : typeof p === 'bigint' ? p.toString() : p));
}

function toRaw(result: [unknown, unknown]): RawResult {
  const [res] = result;
  if (Array.isArray(res)) return { rows: res as Row[], affected: 0, insertId: 0 };
  const header = res as ResultSetHeader;
  return { rows: null, affected: header.affectedRows ?? 0, insertId: Number(header.insertId ?? 0) };
}
