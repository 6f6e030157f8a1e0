import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { refuseDowngradeWhile } from './downgradeGuard';

/** Fixed creation time of this upgrade task; TypeORM orders migrations by the 13-digit suffix of `name`. */
const TIMESTAMP = '1795392000007';

/**
 * Creates the retired-secret table (`AO_5D4005_RETIRED_SECRET` in Jira, `AO_2DF51C_RETIRED_SECRET`
 * in Confluence, see RetiredSecretEntity): the secrets tokens had before a regeneration through a
 * token, so that the revocation API and the lookup still find a token by a leaked secret a thief
 * replaced. Empty at first: no regeneration before this task kept its old secret. `down` drops it,
 * and refuses (DowngradeWouldWidenTokens) while it holds a secret.
 */
export class TokenUpgradeTask007 implements MigrationInterface {
  readonly name: string;

  constructor(private readonly table: string) {
    this.name = `TokenUpgradeTask007${table.replace(/[^A-Za-z0-9]/g, '')}${TIMESTAMP}`;
  }

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = this.table;
    await queryRunner.createTable(new Table({
      name: t,
      columns: [
        { name: 'ID', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'TOKEN_STRING_ID', type: 'varchar', length: '32', isNullable: false },
        { name: 'PUBLIC_ID', type: 'varchar', length: '32', isNullable: false },
        { name: 'SALT', type: 'varchar', length: '64', isNullable: false },
        { name: 'HASH', type: 'varchar', length: '128', isNullable: false },
        { name: 'RETIRED', type: 'bigint', isNullable: false },
        { name: 'RETIRED_VIA', type: 'bigint', isNullable: true },
      ],
    }));
    await queryRunner.createIndex(t, new TableIndex({ name: `U_${t}_PUBLIC_ID`, columnNames: ['PUBLIC_ID'], isUnique: true }));
    await queryRunner.createIndex(t, new TableIndex({ name: `IX_${t}_TOKEN_STRING_ID`, columnNames: ['TOKEN_STRING_ID'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Without them a thief's replaced secret no longer names the token to the revocation API.
    await refuseDowngradeWhile(queryRunner, 'TokenUpgradeTask007', this.table, '', 'retired secrets');
    await queryRunner.dropTable(this.table, true, true, true);
  }
}
