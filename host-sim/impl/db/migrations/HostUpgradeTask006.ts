// Minimal Confluence data: spaces and content; seeds space DS.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bigint, dialectOf, dropHostTables, hostTable, idColumn, integer, longText, seedRows, varchar } from './columns';

export class HostUpgradeTask006 implements MigrationInterface {
  readonly name = 'HostUpgradeTask0061700000000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dialect = dialectOf(queryRunner);
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_SPACE',
      columns: [
        idColumn(dialect),
        varchar('SPACE_KEY', 64, { isUnique: true }),
        varchar('SPACE_NAME', 255),
        bigint('CREATED'),
      ],
    }));
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_CONTENT',
      columns: [
        idColumn(dialect),
        varchar('CONTENT_TYPE', 16),
        varchar('TITLE', 255),
        varchar('SPACE_KEY', 64),
        longText(dialect, 'BODY'),
        varchar('AUTHOR_KEY', 64),
        bigint('CREATED'),
        integer('VERSION', { default: 1 }),
      ],
      indices: [{ name: 'IDX_HOST_CONTENT_SPACE', columnNames: ['SPACE_KEY', 'CONTENT_TYPE'] }],
    }));
    await seedRows(queryRunner, 'HOST_SPACE', [{ ID: 98305, SPACE_KEY: 'DS', SPACE_NAME: 'Demonstration Space', CREATED: Date.now() }]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropHostTables(queryRunner, ['HOST_CONTENT', 'HOST_SPACE']);
  }
}
