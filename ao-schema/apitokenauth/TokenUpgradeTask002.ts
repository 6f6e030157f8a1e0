import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Fixed creation time of this upgrade task; TypeORM orders migrations by the 13-digit suffix of `name`. */
const TIMESTAMP = '1795392000002';

/**
 * Adds the `SUDO` flag of admin "sudo" tokens (docs/api.md): 1 = the token may run a request as
 * another user, 0 = not; every existing token gets 0. `ALTER TABLE … ADD COLUMN` with a constant
 * default changes no row on any dialect, so it stays instant on a table of a million tokens
 * (TypeORM's `addColumn` would copy the whole SQLite table). `down` drops the column again
 * (SQLite ≥ 3.35).
 */
export class TokenUpgradeTask002 implements MigrationInterface {
  readonly name: string;

  constructor(private readonly table: string, private readonly dialect: 'sqlite' | 'mysql' | 'postgres') {
    this.name = `TokenUpgradeTask002${table.replace(/[^A-Za-z0-9]/g, '')}${TIMESTAMP}`;
  }

  async up(queryRunner: QueryRunner): Promise<void> {
    // AO's boolean: TINYINT(1) on MySQL, BOOLEAN on PostgreSQL (reads back as 1/0 through AO).
    const type = this.dialect === 'sqlite' ? 'INTEGER NOT NULL DEFAULT 0' : 'BOOLEAN NOT NULL DEFAULT FALSE';
    await queryRunner.query(`ALTER TABLE ${this.quoted(queryRunner)} ADD COLUMN ${this.column(queryRunner)} ${type}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${this.quoted(queryRunner)} DROP COLUMN ${this.column(queryRunner)}`);
  }

  private quoted(queryRunner: QueryRunner): string {
    return queryRunner.connection.driver.escape(this.table);
  }

  /** `SUDO`, quoted: on PostgreSQL an AO column is upper case, which only a quoted name keeps. */
  private column(queryRunner: QueryRunner): string {
    return queryRunner.connection.driver.escape('SUDO');
  }
}
