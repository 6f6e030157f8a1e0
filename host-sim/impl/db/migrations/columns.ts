// Portable table builders for the host's own migrations (TypeORM `Table` API on SQLite, MySQL
// and PostgreSQL). The host's tables are not Active Objects tables: on PostgreSQL they are
// created with unquoted lower-case names, as Jira's and Confluence's own tables are (`cwd_user`,
// `clustermessage`), so the host's portable upper-case SQL (`SELECT USER_KEY FROM HOST_USER`)
// folds onto them. Only plugin tables get the quoted upper-case names of Active Objects.
import { Table, TableIndex, type QueryRunner, type TableColumnOptions, type TableIndexOptions } from 'typeorm';

export type SchemaDialect = 'sqlite' | 'mysql' | 'postgres';

export function dialectOf(queryRunner: QueryRunner): SchemaDialect {
  const type = queryRunner.connection.driver.options.type;
  return type === 'mysql' ? 'mysql' : type === 'postgres' ? 'postgres' : 'sqlite';
}

/** The physical name of a host table, column or index: lower case on PostgreSQL, as written elsewhere. */
export function hostName(dialect: SchemaDialect, name: string): string {
  return dialect === 'postgres' ? name.toLowerCase() : name;
}

/** A host table with every name (table, columns, indexes) in the dialect's physical form. */
export function hostTable(dialect: SchemaDialect, options: {
  name: string; columns: TableColumnOptions[]; indices?: TableIndexOptions[];
}): Table {
  const n = (name: string) => hostName(dialect, name);
  return new Table({
    name: n(options.name),
    columns: options.columns.map((c) => ({ ...c, name: n(c.name) })),
    indices: (options.indices ?? []).map((i) => new TableIndex({
      ...i, name: i.name === undefined ? undefined : n(i.name), columnNames: i.columnNames.map(n),
    })),
  });
}

/** Drops host tables in the given order (dependants first). */
export async function dropHostTables(queryRunner: QueryRunner, tables: readonly string[]): Promise<void> {
  const dialect = dialectOf(queryRunner);
  for (const table of tables) await queryRunner.dropTable(hostName(dialect, table));
}

/**
 * Inserts seed rows with explicit ids. On PostgreSQL the id sequence is then moved past them,
 * so that later generated ids continue after the seeds as they do on MySQL and SQLite.
 */
export async function seedRows(queryRunner: QueryRunner, table: string, rows: ReadonlyArray<Readonly<Record<string, string | number>>>): Promise<void> {
  const dialect = dialectOf(queryRunner);
  for (const row of rows) {
    const columns = Object.keys(row);
    const placeholders = columns.map((_, i) => (dialect === 'postgres' ? `$${i + 1}` : '?'));
    await queryRunner.query(
      `INSERT INTO ${hostName(dialect, table)} (${columns.map((c) => hostName(dialect, c)).join(', ')}) VALUES (${placeholders.join(', ')})`,
      columns.map((c) => row[c]));
  }
  if (dialect === 'postgres' && rows.length > 0) {
    const t = hostName(dialect, table);
    await queryRunner.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT MAX(id) FROM ${t}))`);
  }
}

/** Auto-increment primary key `ID` (INTEGER PRIMARY KEY on SQLite, BIGINT on MySQL, BIGSERIAL on PostgreSQL). */
export function idColumn(dialect: SchemaDialect, name = 'ID'): TableColumnOptions {
  return {
    name, type: dialect === 'sqlite' ? 'integer' : 'bigint', isPrimary: true, isGenerated: true,
    generationStrategy: 'increment',
  };
}

export function varchar(name: string, length: number, options: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: 'varchar', length: String(length), isNullable: false, ...options };
}

export function bigint(name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: 'bigint', isNullable: false, ...options };
}

export function integer(name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: 'integer', isNullable: false, ...options };
}

/** Long text: MEDIUMTEXT (16 MB) on MySQL, TEXT on SQLite and PostgreSQL. */
export function longText(dialect: SchemaDialect, name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: dialect === 'mysql' ? 'mediumtext' : 'text', isNullable: true, ...options };
}
