/**
 * Active Objects: the plugin's own tables in the host database.
 *
 * Modelled on Atlassian's AO API, which speaks SQL fragments: `where` is a portable SQL
 * condition over the entity's upper-snake-case column names with `?` placeholders, `order`
 * a portable ORDER BY list. Rows come back keyed by column name; BIGINT columns come back as
 * JavaScript numbers (epoch millis fit), NULL as null. Rows must be mapped to value objects by
 * the plugin's storage layer and never leave it.
 *
 * Entity names are the logical names declared by the plugin's `ao` module (e.g. `Token`);
 * the physical table is `AO_<prefix>_<UPPER_SNAKE_ENTITY>` (see {@link ActiveObjects.tableName}).
 */
export type AoValue = string | number | null;
export type AoRow = Readonly<Record<string, AoValue>>;

export interface AoQuery {
  /**
   * The columns to return (AO's `Query.select`); all when absent. Selecting only columns of an
   * index lets the database answer from the index alone (e.g. a deep page's ids).
   */
  readonly columns?: readonly string[];
  /** SQL condition, e.g. `USER_KEY = ? AND VALID_UNTIL <= ?`. */
  readonly where?: string;
  readonly params?: readonly AoValue[];
  /** e.g. `VALID_UNTIL ASC, ID ASC`. */
  readonly order?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/** A column of the derived table of {@link ActiveObjects.updateMany}. */
export interface AoValueColumn {
  /** `V_` and upper-snake-case letters, e.g. `V_LAST_ACCESSED`. */
  readonly name: string;
  readonly type: 'bigint' | 'text';
}

export interface ActiveObjects {
  /** `sqlite`, `mysql` (MySQL 8 / MariaDB 10.11) or `postgres` (PostgreSQL 15), for the rare dialect-specific fragment. */
  readonly dialect: 'sqlite' | 'mysql' | 'postgres';
  /**
   * A column name quoted for this database (`"PUBLIC_ID"` on PostgreSQL and SQLite, backticks on
   * MySQL), as AO's `DatabaseProvider.quote`. On PostgreSQL, AO creates every table and column
   * with a quoted upper-case name, and the host quotes names in `where` only where they stand
   * directly before a comparison (`PUBLIC_ID = ?`, `USER_KEY IN (…)`, `X IS NULL`, `X LIKE ?`),
   * names in `order` and `columns`, and the keys of `create`/`update` values — as AO does. A
   * column anywhere else in a fragment, e.g. inside a function call (`LOWER(DESCRIPTION) LIKE ?`),
   * must be written with `quote`: unquoted, PostgreSQL looks for a lower-case column and fails.
   */
  quote(column: string): string;
  /** Physical table name of an entity, e.g. `Token` → `AO_5D4005_TOKEN`. */
  tableName(entity: string): string;
  find(entity: string, query?: AoQuery): Promise<AoRow[]>;
  findOne(entity: string, query: AoQuery): Promise<AoRow | null>;
  get(entity: string, id: number): Promise<AoRow | null>;
  count(entity: string, query?: AoQuery): Promise<number>;
  /** Inserts a row and returns it as stored, including the generated `ID`. */
  create(entity: string, values: Readonly<Record<string, AoValue>>): Promise<AoRow>;
  /** Inserts many rows in one statement (or a few); no rows are returned. */
  createMany(entity: string, rows: ReadonlyArray<Readonly<Record<string, AoValue>>>): Promise<void>;
  /** Sets `values` on every row matching `where`; returns the number of rows changed. */
  update(entity: string, values: Readonly<Record<string, AoValue>>, where: string, params?: readonly AoValue[]): Promise<number>;
  /** Deletes every row matching `where`; returns the number of rows deleted. */
  deleteWithSQL(entity: string, where: string, params?: readonly AoValue[]): Promise<number>;
  /**
   * Updates many rows, each with its own values, in one statement. `rows` (each
   * `[id, ...values]`) form a derived table `V` with the columns `V.V_ID` and then `columns`
   * (names of the caller's choice, prefixed `V_`, each with its SQL type), joined to the entity's
   * table `T` on `T.ID = V.V_ID`. `set` is the assignment list: bare target columns and portable
   * expressions over `T.<column>` and `V.<column>` (CASE, arithmetic: no GREATEST, no dialect
   * functions); write every entity column in it with {@link quote}. The assignments must not
   * depend on one another: MySQL applies a multiple-table UPDATE's assignments in no set order
   * and lets later ones see earlier ones. Ids must be unique within one call. Returns the rows
   * matched. One statement per call: the caller sizes the chunks.
   */
  updateMany(entity: string, columns: readonly AoValueColumn[], rows: ReadonlyArray<readonly AoValue[]>, set: string): Promise<number>;
  /**
   * Runs `fn` in one database transaction; `fn` must use the `ActiveObjects` it is given.
   * On MySQL the transaction is REPEATABLE READ, on PostgreSQL READ COMMITTED; use `find` with
   * `forUpdate` semantics by counting inside the transaction after a `lock` call to serialise writers.
   * When MySQL/MariaDB or PostgreSQL rolls the transaction back as a deadlock victim or for a
   * serialization failure, the host runs `fn` again on a new transaction (a few times, after a
   * short random pause): `fn` must only change the database, never the outside world.
   */
  executeInTransaction<T>(fn: (tx: ActiveObjects) => Promise<T>): Promise<T>;
  /**
   * {@link executeInTransaction} for bulk bookkeeping writes that no request waits for (usage
   * counters, last-access times): the host keeps the transaction off the request thread. On
   * SQLite, whose statements otherwise run synchronously on the event loop, it runs on a
   * connection of its own in a worker thread; meanwhile the node keeps reading the last
   * committed state, and its other writes wait for the commit. `fn` should only write (on
   * SQLite its reads see that connection's snapshot). The same retry rules apply. Inside a
   * transaction it simply joins that transaction.
   */
  executeInBackgroundTransaction<T>(fn: (tx: ActiveObjects) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction: takes an exclusive lock keyed by `name` until the transaction ends (a
   * host-managed lock table row, X-locked on MySQL; a transaction-scoped advisory lock on
   * PostgreSQL; SQLite transactions are already exclusive), so that check-then-insert sequences
   * (such as a per-user quota) serialise across nodes.
   */
  lock(name: string): Promise<void>;
}

/**
 * An `ao` module's schema: its numbered upgrade tasks (TypeORM migrations, each with `up`
 * and `down`), built for the physical table names the host assigns. A module in
 * `ao-schema/` exports one of these as `upgradeTasks`.
 */
export type AoUpgradeTaskFactory = (naming: {
  readonly dialect: 'sqlite' | 'mysql' | 'postgres';
  tableName(entity: string): string;
}) => import('typeorm').MigrationInterface[];
