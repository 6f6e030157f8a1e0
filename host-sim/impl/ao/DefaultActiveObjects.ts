// Active Objects for one plugin: SQL over the plugin's `AO_<prefix>_<ENTITY>` tables, with
// dialect-quoted table names, normalised values and transactions with named row locks.
import type { ActiveObjects, AoQuery, AoRow, AoValue } from '../../spi/ActiveObjects';
import type { Database } from '../db/Database';
import type { SqlRunner, SqlValue } from '../db/SqlRunner';
import { aoTableName } from './aoNaming';

// Both dialects accept far more bind parameters; this keeps single statements reasonably sized.
const MAX_PARAMS_PER_INSERT = 5000;
const MAX_ROWS_PER_INSERT = 500;
const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class DefaultActiveObjects implements ActiveObjects {
  readonly dialect: 'sqlite' | 'mysql';
  private readonly tables = new Map<string, string>();
  private readonly heldLocks = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly prefix: string,
    /** Set when this instance is bound to an open transaction. */
    private readonly tx: SqlRunner | null = null,
  ) {
    this.dialect = db.dialect;
  }

  tableName(entity: string): string {
    let name = this.tables.get(entity);
    if (!name) {
      name = aoTableName(this.prefix, entity);
      this.tables.set(entity, name);
    }
    return name;
  }

  async find(entity: string, query: AoQuery = {}): Promise<AoRow[]> {
    const select = query.columns?.length ? checkedColumnList(query.columns).join(', ') : '*';
    const rows = await this.runner.query(`SELECT ${select} FROM ${this.table(entity)}${clauses(query, this.dialect)}`, params(query.params));
    return rows.map(normaliseRow);
  }

  async findOne(entity: string, query: AoQuery): Promise<AoRow | null> {
    const rows = await this.find(entity, { ...query, limit: 1 });
    return rows[0] ?? null;
  }

  async get(entity: string, id: number): Promise<AoRow | null> {
    return this.findOne(entity, { where: 'ID = ?', params: [id] });
  }

  async count(entity: string, query: AoQuery = {}): Promise<number> {
    const where = query.where ? ` WHERE ${query.where}` : '';
    const rows = await this.runner.query<{ CNT: number }>(`SELECT COUNT(*) AS CNT FROM ${this.table(entity)}${where}`, params(query.params));
    return Number(rows[0]?.CNT ?? 0);
  }

  async create(entity: string, values: Readonly<Record<string, AoValue>>): Promise<AoRow> {
    const columns = checkedColumns(values);
    const sql = columns.length
      ? `INSERT INTO ${this.table(entity)} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`
      : `INSERT INTO ${this.table(entity)} ${this.dialect === 'sqlite' ? 'DEFAULT VALUES' : '() VALUES ()'}`;
    const res = await this.runner.execute(sql, columns.map((c) => values[c]));
    const row = await this.runner.query(`SELECT * FROM ${this.table(entity)} WHERE ID = ?`, [res.insertId]);
    if (!row.length) throw new Error(`Inserted row ${res.insertId} of ${entity} could not be read back`);
    return normaliseRow(row[0]);
  }

  async createMany(entity: string, rows: ReadonlyArray<Readonly<Record<string, AoValue>>>): Promise<void> {
    // Rows with the same columns go into one multi-row INSERT (chunked), so defaults still apply.
    const groups = new Map<string, Array<Readonly<Record<string, AoValue>>>>();
    for (const row of rows) {
      const signature = checkedColumns(row).join(',');
      const group = groups.get(signature) ?? [];
      group.push(row);
      groups.set(signature, group);
    }
    for (const [signature, group] of groups) {
      const columns = signature ? signature.split(',') : [];
      if (!columns.length) {
        for (const row of group) await this.create(entity, row);
        continue;
      }
      const perChunk = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMS_PER_INSERT / columns.length)));
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      for (let i = 0; i < group.length; i += perChunk) {
        const chunk = group.slice(i, i + perChunk);
        await this.runner.execute(
          `INSERT INTO ${this.table(entity)} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`,
          chunk.flatMap((row) => columns.map((c) => row[c])));
      }
    }
  }

  async update(entity: string, values: Readonly<Record<string, AoValue>>, where: string, whereParams: readonly AoValue[] = []): Promise<number> {
    const columns = checkedColumns(values);
    if (!columns.length) return 0;
    const res = await this.runner.execute(
      `UPDATE ${this.table(entity)} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE ${where}`,
      [...columns.map((c) => values[c]), ...params(whereParams)]);
    return res.affected;
  }

  async deleteWithSQL(entity: string, where: string, whereParams: readonly AoValue[] = []): Promise<number> {
    const res = await this.runner.execute(`DELETE FROM ${this.table(entity)} WHERE ${where}`, params(whereParams));
    return res.affected;
  }

  async executeInTransaction<T>(fn: (tx: ActiveObjects) => Promise<T>): Promise<T> {
    if (this.tx) return fn(this);
    return this.db.transaction((tx) => fn(new DefaultActiveObjects(this.db, this.prefix, tx)));
  }

  async lock(name: string): Promise<void> {
    if (!this.tx) throw new Error('ActiveObjects.lock must be called inside executeInTransaction');
    // SQLite transactions start with BEGIN IMMEDIATE: the writer lock is already exclusive.
    if (this.dialect === 'sqlite') return;
    const lockName = `${this.prefix}:${name}`.slice(0, 191);
    if (this.heldLocks.has(lockName)) return;
    // One statement on the transaction's own connection both creates the lock row and takes its
    // exclusive lock: a duplicate key under ON DUPLICATE KEY UPDATE is X-locked at once (no S→X
    // upgrade, so no deadlock between waiters), and no second pooled connection is needed, so
    // any number of concurrent lockers can never exhaust the pool. It is not a consistent read,
    // so the transaction's snapshot still starts after the lock is held.
    await this.tx.query(
      'INSERT INTO HOST_AO_LOCK (LOCK_NAME, CREATED) VALUES (?, ?) ON DUPLICATE KEY UPDATE LOCK_NAME = LOCK_NAME',
      [lockName, Date.now()],
    );
    this.heldLocks.add(lockName);
  }

  private get runner(): SqlRunner {
    return this.tx ?? this.db;
  }

  private table(entity: string): string {
    return this.db.sql.quote(this.tableName(entity));
  }
}

function clauses(query: AoQuery, dialect: 'sqlite' | 'mysql'): string {
  let sql = query.where ? ` WHERE ${query.where}` : '';
  if (query.order) sql += ` ORDER BY ${query.order}`;
  const limit = query.limit !== undefined ? nonNegative(query.limit, 'limit') : undefined;
  const offset = query.offset !== undefined ? nonNegative(query.offset, 'offset') : undefined;
  if (limit !== undefined) sql += ` LIMIT ${limit}`;
  else if (offset !== undefined) sql += dialect === 'sqlite' ? ' LIMIT -1' : ' LIMIT 18446744073709551615';
  if (offset !== undefined) sql += ` OFFSET ${offset}`;
  return sql;
}

function nonNegative(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`AO query ${what} must be a non-negative integer`);
  return n;
}

function checkedColumns(values: Readonly<Record<string, AoValue>>): string[] {
  return checkedColumnList(Object.keys(values).sort());
}

function checkedColumnList(columns: readonly string[]): string[] {
  for (const c of columns) if (!COLUMN_NAME.test(c)) throw new Error(`Invalid AO column name ${c}`);
  return [...columns];
}

function params(values: readonly AoValue[] | undefined): SqlValue[] {
  return values ? [...values] : [];
}

/** BIGINTs as numbers, NULL as null, text as strings, whatever the driver returned. */
function normaliseRow(row: Record<string, unknown>): AoRow {
  const out: Record<string, AoValue> = {};
  for (const [key, value] of Object.entries(row)) out[key] = normaliseValue(value);
  return out;
}

function normaliseValue(value: unknown): AoValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}
