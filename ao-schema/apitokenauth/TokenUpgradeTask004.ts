import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Fixed creation time of this upgrade task; TypeORM orders migrations by the 13-digit suffix of `name`. */
const TIMESTAMP = '1795392000004';

/**
 * PostgreSQL only: the owner sort index of TokenUpgradeTask003 with NULL owners first. The Token
 * Manager sorts user-less tokens (NULL owner) first ascending and last descending, as MySQL and
 * SQLite do by themselves; PostgreSQL's default index order puts NULL last, so `ORDER BY
 * "USER_KEY" ASC NULLS FIRST, "ID"` could not read it and sorted every row instead (~300 ms at
 * 1,000,000 tokens). `("USER_KEY" ASC NULLS FIRST, "ID")` serves that order forwards and the
 * descending one (`DESC NULLS LAST`) backwards, and owner lookups as before. `down` restores
 * task 003's index. On MySQL and SQLite both directions do nothing.
 */
export class TokenUpgradeTask004 implements MigrationInterface {
  readonly name: string;

  constructor(private readonly table: string, private readonly dialect: 'sqlite' | 'mysql' | 'postgres') {
    this.name = `TokenUpgradeTask004${table.replace(/[^A-Za-z0-9]/g, '')}${TIMESTAMP}`;
  }

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.recreate(queryRunner, ' ASC NULLS FIRST');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await this.recreate(queryRunner, '');
  }

  private async recreate(queryRunner: QueryRunner, userKeyOrder: string): Promise<void> {
    if (this.dialect !== 'postgres') return;
    const q = (identifier: string) => queryRunner.connection.driver.escape(identifier);
    const index = q(`IX_${this.table}_USER_KEY_ID`);
    await queryRunner.query(`DROP INDEX ${index}`);
    await queryRunner.query(`CREATE INDEX ${index} ON ${q(this.table)} (${q('USER_KEY')}${userKeyOrder}, ${q('ID')})`);
  }
}
