import type { MigrationInterface, QueryRunner } from 'typeorm';
import { refuseDowngradeWhile } from './downgradeGuard';

/** Fixed creation time of this upgrade task; TypeORM orders migrations by the 13-digit suffix of `name`. */
const TIMESTAMP = '1795392000008';
const COLUMN = 'ISSUED_TO';

/**
 * Adds `ISSUED_TO`: the user key of the person, other than the token's owner, to whom its current
 * secret was handed (it created or regenerated the token on the owner's behalf); null when the
 * owner did. Such a token works only while that person is active and does not rank below the
 * owner (TokenAdmission). Every existing token gets null: a token made on behalf before this task
 * is not held to the rule until it is regenerated. A nullable column without a default changes no
 * row on any dialect; nothing searches it, so no index. `down` drops it again (SQLite ≥ 3.35), and
 * refuses (DowngradeWouldWidenTokens) while a token is held to someone: the version below, and
 * this one after a re-upgrade (null), would no longer hold it to that person.
 */
export class TokenUpgradeTask008 implements MigrationInterface {
  readonly name: string;

  constructor(private readonly table: string) {
    this.name = `TokenUpgradeTask008${table.replace(/[^A-Za-z0-9]/g, '')}${TIMESTAMP}`;
  }

  async up(queryRunner: QueryRunner): Promise<void> {
    const { table, column } = this.names(queryRunner);
    await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN ${column} VARCHAR(255) NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const { table, column } = this.names(queryRunner);
    // Without it such a token would work on after its holder left or lost the rank.
    await refuseDowngradeWhile(queryRunner, 'TokenUpgradeTask008', this.table, `${column} IS NOT NULL`, 'tokens held by someone other than their owner (ISSUED_TO)');
    await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN ${column}`);
  }

  /** Quoted: on PostgreSQL an AO name is upper case, which only a quoted name keeps. */
  private names(queryRunner: QueryRunner): { table: string; column: string } {
    const q = (identifier: string) => queryRunner.connection.driver.escape(identifier);
    return { table: q(this.table), column: q(COLUMN) };
  }
}
