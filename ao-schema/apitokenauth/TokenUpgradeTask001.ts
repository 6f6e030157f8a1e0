import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Fixed creation time of this upgrade task; TypeORM orders migrations by the 13-digit suffix of `name`. */
const TIMESTAMP = '1795392000001';

/**
 * Creates the token table (`AO_5D4005_TOKEN` in Jira, `AO_2DF51C_TOKEN` in Confluence) with its
 * unique and secondary indexes. Portable between SQLite and MySQL/MariaDB via TypeORM's schema API.
 */
export class TokenUpgradeTask001 implements MigrationInterface {
  readonly name: string;
  private readonly table: string;

  constructor(tableName: string) {
    this.table = tableName;
    // The table prefix is part of the name so that Jira's and Confluence's tasks never collide.
    this.name = `TokenUpgradeTask001${tableName.replace(/[^A-Za-z0-9]/g, '')}${TIMESTAMP}`;
  }

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = this.table;
    await queryRunner.createTable(new Table({
      name: t,
      columns: [
        { name: 'ID', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'PUBLIC_ID', type: 'varchar', length: '32', isNullable: false },
        { name: 'STRING_ID', type: 'varchar', length: '32', isNullable: false },
        { name: 'USER_KEY', type: 'varchar', length: '255', isNullable: true },
        { name: 'DESCRIPTION', type: 'varchar', length: '255', isNullable: false },
        { name: 'CREATED', type: 'bigint', isNullable: false },
        { name: 'CREATED_BY', type: 'varchar', length: '255', isNullable: false },
        { name: 'VALID_UNTIL', type: 'bigint', isNullable: false },
        { name: 'SCOPE', type: 'integer', isNullable: false, default: 2 },
        { name: 'SALT', type: 'varchar', length: '64', isNullable: false },
        { name: 'HASH', type: 'varchar', length: '128', isNullable: false },
        { name: 'LAST_ACCESSED', type: 'bigint', isNullable: false, default: 0 },
        { name: 'LAST_IP', type: 'varchar', length: '64', isNullable: true },
        { name: 'USE_COUNT', type: 'bigint', isNullable: false, default: 0 },
        { name: 'RESTRICTIONS', type: 'text', isNullable: true },
        { name: 'NOTIFICATION_STATE', type: 'text', isNullable: true },
        { name: 'KNOWN_IPS', type: 'text', isNullable: true },
        { name: 'VERSION', type: 'integer', isNullable: false, default: 1 },
      ],
    }));
    const indexes: Array<[string, string[], boolean]> = [
      [`U_${t}_PUBLIC_ID`, ['PUBLIC_ID'], true],
      [`U_${t}_STRING_ID`, ['STRING_ID'], true],
      [`IX_${t}_USER_KEY`, ['USER_KEY'], false],
      [`IX_${t}_VALID_UNTIL`, ['VALID_UNTIL', 'ID'], false],
      [`IX_${t}_CREATED`, ['CREATED'], false],
      [`IX_${t}_LAST_ACCESSED`, ['LAST_ACCESSED'], false],
    ];
    for (const [name, columnNames, isUnique] of indexes) {
      await queryRunner.createIndex(t, new TableIndex({ name, columnNames, isUnique }));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(this.table, true, true, true);
  }
}
