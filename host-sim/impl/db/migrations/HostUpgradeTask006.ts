// Minimal Confluence data: spaces and content; seeds space DS.
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bigint, dialectOf, idColumn, integer, longText, varchar } from './columns';

export class HostUpgradeTask006 implements MigrationInterface {
  readonly name = 'HostUpgradeTask0061700000000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dialect = dialectOf(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'HOST_SPACE',
      columns: [
        idColumn(dialect),
        varchar('SPACE_KEY', 64, { isUnique: true }),
        varchar('SPACE_NAME', 255),
        bigint('CREATED'),
      ],
    }));
    await queryRunner.createTable(new Table({
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
      indices: [new TableIndex({ name: 'IDX_HOST_CONTENT_SPACE', columnNames: ['SPACE_KEY', 'CONTENT_TYPE'] })],
    }));
    await queryRunner.query(
      'INSERT INTO HOST_SPACE (ID, SPACE_KEY, SPACE_NAME, CREATED) VALUES (98305, ?, ?, ?)',
      ['DS', 'Demonstration Space', Date.now()],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('HOST_CONTENT');
    await queryRunner.dropTable('HOST_SPACE');
  }
}
