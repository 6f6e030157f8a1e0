// Active Objects for one plugin: SQL over the plugin's `AO_<prefix>_<ENTITY>` tables, with
// dialect-quoted table names, normalised values and transactions with named row locks. On
// PostgreSQL the names are quoted upper case as AO creates them, and the plugin's fragments get
// AO's quoting of names before comparisons and in ORDER BY (aoSql.ts).
import type { ActiveObjects, AoQuery, AoRow, AoValue, AoValueColumn } from '../../spi/ActiveObjects';
import type { Database } from '../db/Database';
import type { Dialect } from '../db/dbUrl';
import type { SqlRunner, SqlValue } from '../db/SqlRunner';
import { takeTransactionLock, transactionLockName } from '../db/transactionLock';
import { aoTableName } from './aoNaming';
import { processOrderClause, processWhereClause } from './aoSql';

// Every dialect accepts far more bind parameters; this keeps single statements reasonably sized.
const MAX_PARAMS_PER_INSERT = 5000;
const MAX_ROWS_PER_INSERT = 500;
const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Deadlock victims and serialization failures are run again up to this many times. */
export const AO_TRANSACTION_CONFLICT_RETRIES = 4;
const FRAGMENT_CACHE_SIZE = 500;

/** `build()`'s text, kept in `cache` by `key` (at most `limit` texts, the oldest dropped first). */
function remembered(cache: Map<string, string>, limit: number, key: string, build: () => string): string {
  let out = cache.get(key);
  if (out === undefined) {
    out = build();
    cache.set(key, out);
    if (cache.size > limit) cache.delete(cache.keys().next().value as string);
  }
  return out;
}

/** Processed `where`/`order` fragments (they are mostly a plugin's constant templates). */
const fragments = new Map<string, string>();

function cachedFragment(kind: 'w' | 'o', text: string): string {
  return remembered(fragments, FRAGMENT_CACHE_SIZE, `${kind}${text}`, () => (kind === 'w' ? processWhereClause(text) : processOrderClause(text)));
}

export class DefaultActiveObjects implements ActiveObjects {
  readonly dialect: Dialect;
  private readonly tables = new Map<string, string>();
  private readonly heldLocks = new Set<string>();
  private readonly quoteNames: boolean;

  constructor(
    private readonly db: Database,
    private readonly prefix: string,
    /** Set when this instance is bound to an open transaction. */
    private readonly tx: SqlRunner | null = null,
  ) {
    this.dialect = db.dialect;
    this.quoteNames = db.dialect === 'postgres';
  }

  quote(column: string): string {
    checkedColumnList([column]);
    return this.db.sql.quote(column);
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
    const select = query.columns?.length ? this.names(checkedColumnList(query.columns)).join(', ') : '*';
    const rows = await this.runner.query(`SELECT ${select} FROM ${this.table(entity)}${this.clauses(query)}`, params(query.params));
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
    const where = query.where ? ` WHERE ${this.where(query.where)}` : '';
    const rows = await this.runner.query<{ CNT: number }>(
      `SELECT COUNT(*) AS ${this.name('CNT')} FROM ${this.table(entity)}${where}`, params(query.params));
    return Number(rows[0]?.CNT ?? 0);
  }

  async create(entity: string, values: Readonly<Record<string, AoValue>>): Promise<AoRow> {
    const columns = checkedColumns(values);
    const sql = columns.length
      ? `INSERT INTO ${this.table(entity)} (${this.names(columns).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`
      : `INSERT INTO ${this.table(entity)} ${this.dialect === 'mysql' ? '() VALUES ()' : 'DEFAULT VALUES'}`;
    const res = await this.runner.execute(sql, columns.map((c) => values[c]));
    const row = await this.runner.query(`SELECT * FROM ${this.table(entity)} WHERE ${this.name('ID')} = ?`, [res.insertId]);
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
          `INSERT INTO ${this.table(entity)} (${this.names(columns).join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`,
          chunk.flatMap((row) => columns.map((c) => row[c])));
      }
    }
  }

  async update(entity: string, values: Readonly<Record<string, AoValue>>, where: string, whereParams: readonly AoValue[] = []): Promise<number> {
    const columns = checkedColumns(values);
    if (!columns.length) return 0;
    const res = await this.runner.execute(
      `UPDATE ${this.table(entity)} SET ${this.names(columns).map((c) => `${c} = ?`).join(', ')} WHERE ${this.where(where)}`,
      [...columns.map((c) => values[c]), ...params(whereParams)]);
    return res.affected;
  }

  async deleteWithSQL(entity: string, where: string, whereParams: readonly AoValue[] = []): Promise<number> {
    const res = await this.runner.execute(`DELETE FROM ${this.table(entity)} WHERE ${this.where(where)}`, params(whereParams));
    return res.affected;
  }

  async updateMany(entity: string, columns: readonly AoValueColumn[], rows: ReadonlyArray<readonly AoValue[]>, set: string): Promise<number> {
    if (rows.length === 0) return 0;
    const res = await this.runner.execute(cachedUpdateManySql(this.dialect, this.table(entity), this.db.sql.quote('ID'), columns, rows.length, set),
      updateManyParams(this.dialect, rows, columns.length + 1));
    return res.affected;
  }

  async executeInTransaction<T>(fn: (tx: ActiveObjects) => Promise<T>): Promise<T> {
    if (this.tx) return fn(this);
    // Each attempt gets a fresh transaction-bound instance (its held locks start empty).
    return this.db.transaction((tx) => fn(new DefaultActiveObjects(this.db, this.prefix, tx)),
      { conflictRetries: AO_TRANSACTION_CONFLICT_RETRIES });
  }

  async executeInBackgroundTransaction<T>(fn: (tx: ActiveObjects) => Promise<T>): Promise<T> {
    if (this.tx) return fn(this);
    return this.db.backgroundTransaction((tx) => fn(new DefaultActiveObjects(this.db, this.prefix, tx)),
      { conflictRetries: AO_TRANSACTION_CONFLICT_RETRIES });
  }

  async lock(name: string): Promise<void> {
    if (!this.tx) throw new Error('ActiveObjects.lock must be called inside executeInTransaction');
    const lockName = transactionLockName(`${this.prefix}:${name}`);
    if (this.heldLocks.has(lockName)) return;
    await takeTransactionLock(this.tx, lockName);
    this.heldLocks.add(lockName);
  }

  private get runner(): SqlRunner {
    return this.tx ?? this.db;
  }

  private table(entity: string): string {
    return this.db.sql.quote(this.tableName(entity));
  }

  /** A column name as the dialect needs it in SQL: quoted on PostgreSQL (AO's upper case), bare elsewhere. */
  private name(column: string): string {
    return this.quoteNames ? this.db.sql.quote(column) : column;
  }

  private names(columns: readonly string[]): string[] {
    return columns.map((c) => this.name(c));
  }

  private where(where: string): string {
    return this.quoteNames ? cachedFragment('w', where) : where;
  }

  private clauses(query: AoQuery): string {
    let sql = query.where ? ` WHERE ${this.where(query.where)}` : '';
    if (query.order) sql += ` ORDER BY ${this.quoteNames ? cachedFragment('o', query.order) : query.order}`;
    const limit = query.limit !== undefined ? nonNegative(query.limit, 'limit') : undefined;
    const offset = query.offset !== undefined ? nonNegative(query.offset, 'offset') : undefined;
    if (limit !== undefined) sql += ` LIMIT ${limit}`;
    else if (offset !== undefined && this.dialect !== 'postgres') {
      // SQLite and MySQL know no OFFSET without LIMIT; PostgreSQL does.
      sql += this.dialect === 'sqlite' ? ' LIMIT -1' : ' LIMIT 18446744073709551615';
    }
    if (offset !== undefined) sql += ` OFFSET ${offset}`;
    return sql;
  }
}

const VALUE_COLUMN = /^V_[A-Z0-9_]+$/;

/**
 * The statement of {@link DefaultActiveObjects.updateMany}. MySQL/MariaDB: a multiple-table
 * UPDATE joined to a UNION ALL of SELECTs (no VALUES row constructor is common to both).
 * SQLite (3.33+) and PostgreSQL: `UPDATE … FROM` a VALUES list renamed by a SELECT (both name
 * VALUES columns column1, column2, …), every value cast so PostgreSQL knows its type, and the
 * ids once more as an IN list so that the table is reached by its key.
 */
export function updateManySql(dialect: Dialect, table: string, idColumn: string, columns: readonly AoValueColumn[], rowCount: number, set: string): string {
  for (const c of columns) if (!VALUE_COLUMN.test(c.name) || c.name === 'V_ID') throw new Error(`Invalid AO value column name ${c.name}`);
  const names = ['V_ID', ...columns.map((c) => c.name)];
  if (dialect === 'mysql') {
    const first = `SELECT ${names.map((n) => `? AS ${n}`).join(', ')}`;
    const next = ` UNION ALL SELECT ${names.map(() => '?').join(', ')}`;
    return `UPDATE ${table} AS T JOIN (${first}${next.repeat(rowCount - 1)}) AS V ON T.${idColumn} = V.V_ID SET ${set}`;
  }
  const types = ['BIGINT', ...columns.map((c) => (c.type === 'bigint' ? 'BIGINT' : 'TEXT'))];
  const tuple = `(${types.map((t) => `CAST(? AS ${t})`).join(', ')})`;
  const renamed = names.map((n, i) => `column${i + 1} AS ${n}`).join(', ');
  // The id list again: without it SQLite's planner scans the whole table and probes V per row.
  const ids = Array(rowCount).fill('?').join(', ');
  return `UPDATE ${table} AS T SET ${set} FROM (SELECT ${renamed} FROM (VALUES ${Array(rowCount).fill(tuple).join(', ')}) AS R) AS V `
    + `WHERE T.${idColumn} = V.V_ID AND T.${idColumn} IN (${ids})`;
}

/** Statements of {@link updateManySql} by their inputs: a flush sends the same one (~160 KB for 2,000 rows) for every chunk. */
const updateManyStatements = new Map<string, string>();
const UPDATE_MANY_CACHE_SIZE = 20;

function cachedUpdateManySql(dialect: Dialect, table: string, idColumn: string, columns: readonly AoValueColumn[], rowCount: number, set: string): string {
  const key = `${dialect}|${table}|${idColumn}|${columns.map((c) => `${c.name}:${c.type}`).join(',')}|${rowCount}|${set}`;
  return remembered(updateManyStatements, UPDATE_MANY_CACHE_SIZE, key, () => updateManySql(dialect, table, idColumn, columns, rowCount, set));
}

/** The bind values of {@link updateManySql}: the rows, then (except on MySQL) their ids again. */
export function updateManyParams(dialect: Dialect, rows: ReadonlyArray<readonly AoValue[]>, width: number): AoValue[] {
  // One preallocated array, filled in place: a flush passes thousands of rows per statement.
  const values: AoValue[] = new Array(rows.length * width + (dialect === 'mysql' ? 0 : rows.length));
  let k = 0;
  for (const row of rows) {
    if (row.length !== width) throw new Error(`AO updateMany: a row has ${row.length} values, expected ${width}`);
    for (let i = 0; i < width; i++) values[k++] = row[i];
  }
  if (dialect !== 'mysql') for (const row of rows) values[k++] = row[0];
  return values;
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
  // for…in rather than Object.entries: no [key, value] array per column (a listing or an export
  // normalises many rows). Drivers return plain objects: no inherited enumerable keys.
  for (const key in row) out[key] = normaliseValue(row[key]);
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
