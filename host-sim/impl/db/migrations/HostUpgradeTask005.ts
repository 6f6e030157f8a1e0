// Minimal Jira data: projects, issue types, issues, comments, filters; seeds project TEST.
import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { bigint, dialectOf, idColumn, integer, longText, varchar } from './columns';

export class HostUpgradeTask005 implements MigrationInterface {
  readonly name = 'HostUpgradeTask0051700000000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dialect = dialectOf(queryRunner);
    await queryRunner.createTable(new Table({
      name: 'HOST_PROJECT',
      columns: [
        idColumn(dialect),
        varchar('PROJECT_KEY', 64, { isUnique: true }),
        varchar('PROJECT_NAME', 255),
        bigint('ISSUE_COUNTER', { default: 0 }),
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'HOST_ISSUE_TYPE',
      columns: [
        idColumn(dialect),
        varchar('TYPE_NAME', 255, { isUnique: true }),
        varchar('DESCRIPTION', 1000),
        integer('SUBTASK', { default: 0 }),
      ],
    }));
    await queryRunner.createTable(new Table({
      name: 'HOST_ISSUE',
      columns: [
        idColumn(dialect),
        varchar('ISSUE_KEY', 80, { isUnique: true }),
        varchar('PROJECT_KEY', 64),
        bigint('ISSUE_NUM'),
        varchar('SUMMARY', 255),
        longText(dialect, 'DESCRIPTION'),
        varchar('ISSUE_TYPE', 255),
        varchar('REPORTER_KEY', 64),
        bigint('CREATED'),
        bigint('UPDATED'),
      ],
      indices: [new TableIndex({ name: 'IDX_HOST_ISSUE_PROJECT', columnNames: ['PROJECT_KEY', 'ISSUE_NUM'] })],
    }));
    await queryRunner.createTable(new Table({
      name: 'HOST_COMMENT',
      columns: [
        idColumn(dialect),
        bigint('ISSUE_ID'),
        longText(dialect, 'BODY', { isNullable: false }),
        varchar('AUTHOR_KEY', 64),
        bigint('CREATED'),
      ],
      indices: [new TableIndex({ name: 'IDX_HOST_COMMENT_ISSUE', columnNames: ['ISSUE_ID'] })],
    }));
    await queryRunner.createTable(new Table({
      name: 'HOST_FILTER',
      columns: [
        idColumn(dialect),
        varchar('FILTER_NAME', 255),
        longText(dialect, 'JQL', { isNullable: false }),
        varchar('OWNER_KEY', 64),
        longText(dialect, 'DESCRIPTION'),
      ],
    }));
    await queryRunner.query(
      'INSERT INTO HOST_PROJECT (ID, PROJECT_KEY, PROJECT_NAME, ISSUE_COUNTER) VALUES (10000, ?, ?, 0)',
      ['TEST', 'Test Project'],
    );
    const types: Array<[number, string, string]> = [
      [10000, 'Bug', 'A problem which impairs or prevents the functions of the product.'],
      [10001, 'Task', 'A task that needs to be done.'],
      [10002, 'Story', 'A user story.'],
    ];
    for (const [id, name, description] of types) {
      await queryRunner.query('INSERT INTO HOST_ISSUE_TYPE (ID, TYPE_NAME, DESCRIPTION, SUBTASK) VALUES (?, ?, ?, 0)', [id, name, description]);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['HOST_FILTER', 'HOST_COMMENT', 'HOST_ISSUE', 'HOST_ISSUE_TYPE', 'HOST_PROJECT']) {
      await queryRunner.dropTable(table);
    }
  }
}
