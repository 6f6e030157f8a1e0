import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A column an upgrade task adds: nullable, without a default, so existing rows read null. */
export interface NullableColumn {
  readonly name: string;
  readonly type: 'BIGINT' | 'VARCHAR(64)';
}

/**
 * An upgrade task that only adds nullable columns to one table; its down step drops them again
 * (SQLite ≥ 3.35). Only for columns whose loss on a downgrade comes back restrictive or harmless
 * (docs/security.md, "Decided limits"): the others refuse their down step (downgradeGuard.ts).
 */
export abstract class AddNullableColumnsTask implements MigrationInterface {
  readonly name: string;

  /** `timestamp`: the task's fixed 13-digit creation time; TypeORM orders migrations by this suffix of `name`. */
  protected constructor(task: string, timestamp: string, private readonly table: string, private readonly columns: readonly NullableColumn[]) {
    this.name = `${task}${table.replace(/[^A-Za-z0-9]/g, '')}${timestamp}`;
  }

  async up(queryRunner: QueryRunner): Promise<void> {
    const q = quoter(queryRunner);
    for (const column of this.columns) await queryRunner.query(`ALTER TABLE ${q(this.table)} ADD COLUMN ${q(column.name)} ${column.type} NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const q = quoter(queryRunner);
    for (const column of [...this.columns].reverse()) await queryRunner.query(`ALTER TABLE ${q(this.table)} DROP COLUMN ${q(column.name)}`);
  }
}

/** Quoted: on PostgreSQL an AO name is upper case, which only a quoted name keeps. */
function quoter(queryRunner: QueryRunner): (identifier: string) => string {
  return (identifier) => queryRunner.connection.driver.escape(identifier);
}
