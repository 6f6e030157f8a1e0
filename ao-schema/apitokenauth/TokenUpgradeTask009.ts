import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Fixed creation time of this upgrade task; TypeORM orders migrations by the 13-digit suffix of `name`. */
const TIMESTAMP = '1795392000009';
const AUDITED_AT = 'USE_AUDITED_AT';
const AUDITED_IP = 'USE_AUDITED_IP';

/**
 * Adds `USE_AUDITED_AT` (epoch ms) and `USE_AUDITED_IP`: the last `token used` audit event any
 * node wrote for the token and the client IP it named, merged in by the last-access flush. A node
 * that reads the token for the first time (freshly started, or another node's token) then
 * does not audit that IP's use again within the hour: `auditTokenUse=sampled` means one event per
 * token and IP per hour for the cluster, not per node and process. Both null on existing rows (no
 * audit known). Nothing searches them, so no index. `down` drops both (SQLite ≥ 3.35).
 */
export class TokenUpgradeTask009 implements MigrationInterface {
  readonly name: string;

  constructor(private readonly table: string) {
    this.name = `TokenUpgradeTask009${table.replace(/[^A-Za-z0-9]/g, '')}${TIMESTAMP}`;
  }

  async up(queryRunner: QueryRunner): Promise<void> {
    const { table, at, ip } = this.names(queryRunner);
    await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN ${at} BIGINT NULL`);
    await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN ${ip} VARCHAR(64) NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const { table, at, ip } = this.names(queryRunner);
    await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN ${ip}`);
    await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN ${at}`);
  }

  /** Quoted: on PostgreSQL an AO name is upper case, which only a quoted name keeps. */
  private names(queryRunner: QueryRunner): { table: string; at: string; ip: string } {
    const q = (identifier: string) => queryRunner.connection.driver.escape(identifier);
    return { table: q(this.table), at: q(AUDITED_AT), ip: q(AUDITED_IP) };
  }
}
