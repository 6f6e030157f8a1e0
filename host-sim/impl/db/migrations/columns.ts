// Portable column builders for the host's migrations (TypeORM `Table` API on SQLite and MySQL).
import type { QueryRunner, TableColumnOptions } from 'typeorm';

export type SchemaDialect = 'sqlite' | 'mysql';

export function dialectOf(queryRunner: QueryRunner): SchemaDialect {
  return queryRunner.connection.driver.options.type === 'mysql' ? 'mysql' : 'sqlite';
}

/** Auto-increment primary key `ID` (INTEGER PRIMARY KEY on SQLite, BIGINT on MySQL). */
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

/** Long text: MEDIUMTEXT (16 MB) on MySQL, TEXT on SQLite. */
export function longText(dialect: SchemaDialect, name: string, options: Partial<TableColumnOptions> = {}): TableColumnOptions {
  return { name, type: dialect === 'mysql' ? 'mediumtext' : 'text', isNullable: true, ...options };
}
