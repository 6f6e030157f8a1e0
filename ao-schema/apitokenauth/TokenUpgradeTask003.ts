import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Fixed creation time of this upgrade task; TypeORM orders migrations by the 13-digit suffix of `name`. */
const TIMESTAMP = '1795392000003';

/** Column lists of the indexes this task adds, by index suffix. */
const ADDED: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['CREATED_ID', ['CREATED', 'ID']],
  ['LAST_ACCESSED_ID', ['LAST_ACCESSED', 'ID']],
  ['DESCRIPTION_ID', ['DESCRIPTION', 'ID']],
  ['USER_KEY_ID', ['USER_KEY', 'ID']],
];
/** The single-column indexes of TokenUpgradeTask001 that the new ones start with (and so replace). */
const REPLACED: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['CREATED', ['CREATED']],
  ['LAST_ACCESSED', ['LAST_ACCESSED']],
  ['USER_KEY', ['USER_KEY']],
];

/**
 * The indexes behind every sort order of `tokensByFilter` (docs/api.md): `(column, ID)` for
 * created, last accessed, description and owner, next to task 001's `(VALID_UNTIL, ID)`. A sorted
 * first page — either direction, ties broken by id — is then the first (or last) 50 entries of
 * one index instead of a sort of every row, and a deep page's ids come from the index alone
 * (AoTokenStore's deferred join). The single-column indexes on CREATED, LAST_ACCESSED and
 * USER_KEY are prefixes of the new ones, so they are dropped: every lookup they served (owner
 * equality, time ranges) uses the new index. On MySQL/MariaDB everything is one online `ALTER
 * TABLE` (one pass over a table of a million tokens); names are quoted (PostgreSQL keeps AO's
 * upper-case names only quoted). `down` puts task 001's indexes back.
 */
export class TokenUpgradeTask003 implements MigrationInterface {
  readonly name: string;

  constructor(private readonly table: string, private readonly dialect: 'sqlite' | 'mysql' | 'postgres') {
    this.name = `TokenUpgradeTask003${table.replace(/[^A-Za-z0-9]/g, '')}${TIMESTAMP}`;
  }

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.change(queryRunner, ADDED, REPLACED);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await this.change(queryRunner, REPLACED, ADDED);
  }

  private async change(queryRunner: QueryRunner, add: typeof ADDED, drop: typeof ADDED): Promise<void> {
    const q = (identifier: string) => queryRunner.connection.driver.escape(identifier);
    const table = q(this.table);
    const name = (suffix: string) => q(`IX_${this.table}_${suffix}`);
    const list = (columns: readonly string[]) => columns.map(q).join(', ');
    if (this.dialect === 'mysql') {
      const parts = [...add.map(([suffix, columns]) => `ADD INDEX ${name(suffix)} (${list(columns)})`), ...drop.map(([suffix]) => `DROP INDEX ${name(suffix)}`)];
      await queryRunner.query(`ALTER TABLE ${table} ${parts.join(', ')}`);
      return;
    }
    for (const [suffix, columns] of add) await queryRunner.query(`CREATE INDEX ${name(suffix)} ON ${table} (${list(columns)})`);
    for (const [suffix] of drop) await queryRunner.query(`DROP INDEX ${name(suffix)}`);
  }
}
