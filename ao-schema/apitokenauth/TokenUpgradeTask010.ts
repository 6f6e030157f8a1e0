import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Fixed creation time of this upgrade task; TypeORM orders migrations by the 13-digit suffix of `name`. */
const TIMESTAMP = '1795392000010';
const COLUMN = 'RENEWED';

/**
 * Adds `RENEWED`: epoch ms of the token's last regeneration (a new secret and term); null when it
 * was never regenerated. The unused-token rule counts from it as from a use: a token its owner
 * regenerated — as the expiry mail advises — is not deleted as unused days later for a last use
 * before the regeneration (found by the attack review of 2026-12-04). Null on existing rows.
 * Nothing searches it alone, so no index. `down` drops it (SQLite ≥ 3.35).
 */
export class TokenUpgradeTask010 implements MigrationInterface {
  readonly name: string;

  constructor(private readonly table: string) {
    this.name = `TokenUpgradeTask010${table.replace(/[^A-Za-z0-9]/g, '')}${TIMESTAMP}`;
  }

  async up(queryRunner: QueryRunner): Promise<void> {
    const { table, column } = this.names(queryRunner);
    await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN ${column} BIGINT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const { table, column } = this.names(queryRunner);
    await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN ${column}`);
  }

  /** Quoted: on PostgreSQL an AO name is upper case, which only a quoted name keeps. */
  private names(queryRunner: QueryRunner): { table: string; column: string } {
    const q = (identifier: string) => queryRunner.connection.driver.escape(identifier);
    return { table: q(this.table), column: q(COLUMN) };
  }
}
