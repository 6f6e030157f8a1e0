import type { MigrationInterface, QueryRunner } from 'typeorm';
import { refuseDowngradeWhile } from './downgradeGuard';

/** Fixed creation time of this upgrade task; TypeORM orders migrations by the 13-digit suffix of `name`. */
const TIMESTAMP = '1795392000006';
const COLUMN = 'ISSUED_VIA';

/**
 * Adds `ISSUED_VIA`: the id of the token through which a token's current secret was issued (it
 * was created or regenerated through that token), null when a password or a session did it;
 * every existing token gets null. Deleting or revoking a token deletes the tokens issued through
 * it (AoTokenStore.deleteWithIssued), found through the new index. A nullable column without a
 * default changes no row on any dialect; on MySQL/MariaDB column and index are one `ALTER TABLE`.
 * `down` drops both again (SQLite ≥ 3.35), and refuses (DowngradeWouldWidenTokens) while any
 * token names its issuer: the version below would not revoke it with the issuer.
 */
export class TokenUpgradeTask006 implements MigrationInterface {
  readonly name: string;

  constructor(private readonly table: string, private readonly dialect: 'sqlite' | 'mysql' | 'postgres') {
    this.name = `TokenUpgradeTask006${table.replace(/[^A-Za-z0-9]/g, '')}${TIMESTAMP}`;
  }

  async up(queryRunner: QueryRunner): Promise<void> {
    const { table, column, index } = this.names(queryRunner);
    if (this.dialect === 'mysql') {
      await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN ${column} BIGINT NULL, ADD INDEX ${index} (${column})`);
      return;
    }
    await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN ${column} BIGINT`);
    await queryRunner.query(`CREATE INDEX ${index} ON ${table} (${column})`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const { table, column, index } = this.names(queryRunner);
    // Without the link, revoking the issuer would no longer delete what was issued through it.
    await refuseDowngradeWhile(queryRunner, 'TokenUpgradeTask006', this.table, `${column} IS NOT NULL`, 'tokens issued through another token (ISSUED_VIA)');
    if (this.dialect === 'mysql') {
      await queryRunner.query(`ALTER TABLE ${table} DROP INDEX ${index}, DROP COLUMN ${column}`);
      return;
    }
    await queryRunner.query(`DROP INDEX ${index}`);
    await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN ${column}`);
  }

  /** Quoted: on PostgreSQL an AO name is upper case, which only a quoted name keeps. */
  private names(queryRunner: QueryRunner): { table: string; column: string; index: string } {
    const q = (identifier: string) => queryRunner.connection.driver.escape(identifier);
    return { table: q(this.table), column: q(COLUMN), index: q(`IX_${this.table}_${COLUMN}`) };
  }
}
