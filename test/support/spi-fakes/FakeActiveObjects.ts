// An in-memory Active Objects for unit tests: a real SQLite database (better-sqlite3,
// `:memory:`) with the plugin's own upgrade tasks applied, so SQL fragments behave as in the host.
import type Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import type { ActiveObjects, AoQuery, AoRow, AoUpgradeTaskFactory, AoValue, AoValueColumn } from '../../../host-sim/spi';
import { updateManyParams, updateManySql } from '../../../host-sim/impl/ao/DefaultActiveObjects';
import { ServiceUnavailableError } from '../../../host-sim/spi';

function upperSnake(entity: string): string {
  return entity.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Serialises statements so a transaction is never interleaved with other callers. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(() => undefined, () => undefined);
    return result;
  }
}

export class FakeActiveObjects implements ActiveObjects {
  readonly dialect = 'sqlite' as const;
  private availableFlag = true;
  readonly statements: { reads: number; writes: number };
  readonly locks: string[];
  private readonly mutex = new Mutex();

  private constructor(
    private readonly ds: DataSource, private readonly db: Database.Database, private readonly prefix: string,
    private readonly root: FakeActiveObjects | null = null,
  ) {
    this.statements = root ? root.statements : { reads: 0, writes: 0 };
    this.locks = root ? root.locks : [];
  }

  /** Set to false to simulate an unreachable database (every call throws ServiceUnavailableError). */
  get available(): boolean { return this.root ? this.root.available : this.availableFlag; }
  set available(value: boolean) { if (this.root) this.root.available = value; else this.availableFlag = value; }

  private get inTx(): boolean { return this.root !== null; }

  static async create(upgradeTasks: AoUpgradeTaskFactory, prefix = 'AO_5D4005'): Promise<FakeActiveObjects> {
    const ds = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    await ds.initialize();
    const naming = { dialect: 'sqlite' as const, tableName: (e: string) => `${prefix}_${upperSnake(e)}` };
    const runner = ds.createQueryRunner();
    for (const task of upgradeTasks(naming)) await task.up(runner);
    await runner.release();
    const db = (ds.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;
    return new FakeActiveObjects(ds, db, prefix);
  }

  /** Runs an upgrade task's `down` (for schema tests). */
  async runDown(upgradeTasks: AoUpgradeTaskFactory): Promise<void> {
    const runner = this.ds.createQueryRunner();
    for (const task of upgradeTasks({ dialect: 'sqlite', tableName: (e) => this.tableName(e) }).reverse()) await task.down(runner);
    await runner.release();
  }

  async close(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }

  tableName(entity: string): string {
    return `${this.prefix}_${upperSnake(entity)}`;
  }

  quote(column: string): string {
    return `"${column.replace(/"/g, '""')}"`;
  }

  /** Every row of an entity (for assertions such as "no plain token stored"). */
  dump(entity: string): AoRow[] {
    return this.db.prepare(`SELECT * FROM ${this.tableName(entity)}`).all() as AoRow[];
  }

  find(entity: string, query: AoQuery = {}): Promise<AoRow[]> {
    return this.exec(false, () => {
      const select = query.columns?.length ? query.columns.join(', ') : '*';
      let sql = `SELECT ${select} FROM ${this.tableName(entity)}`;
      if (query.where) sql += ` WHERE ${query.where}`;
      if (query.order) sql += ` ORDER BY ${query.order}`;
      if (query.limit !== undefined) sql += ` LIMIT ${Number(query.limit)}`;
      if (query.offset !== undefined) sql += `${query.limit === undefined ? ' LIMIT -1' : ''} OFFSET ${Number(query.offset)}`;
      return this.db.prepare(sql).all(...(query.params ?? [])) as AoRow[];
    });
  }

  async findOne(entity: string, query: AoQuery): Promise<AoRow | null> {
    const rows = await this.find(entity, { ...query, limit: 1 });
    return rows[0] ?? null;
  }

  async get(entity: string, id: number): Promise<AoRow | null> {
    return this.findOne(entity, { where: 'ID = ?', params: [id] });
  }

  count(entity: string, query: AoQuery = {}): Promise<number> {
    return this.exec(false, () => {
      const sql = `SELECT COUNT(*) AS N FROM ${this.tableName(entity)}${query.where ? ` WHERE ${query.where}` : ''}`;
      return Number((this.db.prepare(sql).get(...(query.params ?? [])) as { N: number }).N);
    });
  }

  create(entity: string, values: Readonly<Record<string, AoValue>>): Promise<AoRow> {
    return this.exec(true, () => {
      const cols = Object.keys(values);
      const info = this.db.prepare(`INSERT INTO ${this.tableName(entity)} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
        .run(...cols.map((c) => values[c]));
      return this.db.prepare(`SELECT * FROM ${this.tableName(entity)} WHERE ID = ?`).get(Number(info.lastInsertRowid)) as AoRow;
    });
  }

  async createMany(entity: string, rows: ReadonlyArray<Readonly<Record<string, AoValue>>>): Promise<void> {
    for (const row of rows) await this.create(entity, row);
  }

  update(entity: string, values: Readonly<Record<string, AoValue>>, where: string, params: readonly AoValue[] = []): Promise<number> {
    return this.exec(true, () => {
      const cols = Object.keys(values);
      const sql = `UPDATE ${this.tableName(entity)} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE ${where}`;
      return this.db.prepare(sql).run(...cols.map((c) => values[c]), ...params).changes;
    });
  }

  deleteWithSQL(entity: string, where: string, params: readonly AoValue[] = []): Promise<number> {
    return this.exec(true, () => this.db.prepare(`DELETE FROM ${this.tableName(entity)} WHERE ${where}`).run(...params).changes);
  }

  /** The host's SQLite statement (`UPDATE … FROM (VALUES …)`), one statement per call. */
  updateMany(entity: string, columns: readonly AoValueColumn[], rows: ReadonlyArray<readonly AoValue[]>, set: string): Promise<number> {
    if (rows.length === 0) return Promise.resolve(0);
    return this.exec(true, () => {
      const sql = updateManySql('sqlite', this.tableName(entity), 'ID', columns, rows.length, set);
      return this.db.prepare(sql).run(...updateManyParams('sqlite', rows, columns.length + 1)).changes;
    });
  }

  /** The fake has one in-memory connection: the same as {@link executeInTransaction}. */
  executeInBackgroundTransaction<T>(fn: (tx: ActiveObjects) => Promise<T>): Promise<T> {
    return this.executeInTransaction(fn);
  }

  executeInTransaction<T>(fn: (tx: ActiveObjects) => Promise<T>): Promise<T> {
    if (this.inTx) return fn(this);
    this.check();
    return this.mutex.run(async () => {
      const tx = new FakeActiveObjects(this.ds, this.db, this.prefix, this);
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(tx);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        this.db.exec('ROLLBACK');
        throw err;
      }
    });
  }

  async lock(name: string): Promise<void> {
    this.check();
    this.locks.push(name);
  }

  private check(): void {
    if (!this.available) throw new ServiceUnavailableError();
  }

  private exec<T>(write: boolean, fn: () => T): Promise<T> {
    try {
      this.check();
    } catch (err) {
      return Promise.reject(err);
    }
    const run = async () => {
      if (write) this.statements.writes++; else this.statements.reads++;
      return fn();
    };
    return this.inTx ? run() : this.mutex.run(run);
  }
}
