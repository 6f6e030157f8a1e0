import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Fixed creation time of this upgrade task; TypeORM orders migrations by the 13-digit suffix of `name`. */
const TIMESTAMP = '1795392000005';

/**
 * PostgreSQL only: a trigram index on `lower("DESCRIPTION")` for the Token Manager's description
 * filter (`LOWER("DESCRIPTION") LIKE '%…%'`). Without it PostgreSQL has no statistics for the
 * lowered text, takes any substring for rare and reads and sorts every row for a page (~560 ms
 * at 1,000,000 tokens). The expression index gives both: ANALYZE gathers statistics on the
 * expression, so a common substring walks the sort order's index and stops after a page, and a
 * rare one is found through the trigrams. MySQL and SQLite meet the bar by scanning (bench/README.md)
 * and get nothing here.
 *
 * `pg_trgm` is a trusted extension (PostgreSQL 13+): the database's owner, as Jira's and
 * Confluence's database user is, may create it. Where it is missing or may not be created the
 * task leaves the schema as it was and the filter works as before, only slower: a missing
 * index must not stop the plugin from starting. `down` drops the index and keeps the extension,
 * which other objects may use.
 */
export class TokenUpgradeTask005 implements MigrationInterface {
  readonly name: string;

  constructor(private readonly table: string, private readonly dialect: 'sqlite' | 'mysql' | 'postgres') {
    this.name = `TokenUpgradeTask005${table.replace(/[^A-Za-z0-9]/g, '')}${TIMESTAMP}`;
  }

  async up(queryRunner: QueryRunner): Promise<void> {
    if (this.dialect !== 'postgres' || !(await this.trigramsAvailable(queryRunner))) return;
    const q = (identifier: string) => queryRunner.connection.driver.escape(identifier);
    await queryRunner.query(`CREATE INDEX ${this.index(queryRunner)} ON ${q(this.table)} USING gin (lower(${q('DESCRIPTION')}) gin_trgm_ops)`);
    // The expression's statistics now, not at the next autovacuum: they decide between the plans.
    await queryRunner.query(`ANALYZE ${q(this.table)}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (this.dialect !== 'postgres') return;
    await queryRunner.query(`DROP INDEX IF EXISTS ${this.index(queryRunner)}`);
  }

  private index(queryRunner: QueryRunner): string {
    return queryRunner.connection.driver.escape(`IX_${this.table}_DESCRIPTION_TRGM`);
  }

  /**
   * True when pg_trgm is installed, or could be created here. Inside the migration's transaction
   * the attempt runs in a savepoint, so that a refusal does not abort the transaction.
   */
  private async trigramsAvailable(queryRunner: QueryRunner): Promise<boolean> {
    const installed = (await queryRunner.query(`SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'`)) as unknown[];
    if (installed.length > 0) return true;
    const available = (await queryRunner.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'`)) as unknown[];
    if (available.length === 0) return false;
    const savepoint = queryRunner.isTransactionActive;
    if (savepoint) await queryRunner.query('SAVEPOINT token_upgrade_005');
    try {
      await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      if (savepoint) await queryRunner.query('RELEASE SAVEPOINT token_upgrade_005');
      return true;
    } catch {
      if (savepoint) await queryRunner.query('ROLLBACK TO SAVEPOINT token_upgrade_005');
      return false;
    }
  }
}
