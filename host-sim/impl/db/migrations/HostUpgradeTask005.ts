// Minimal Jira data: projects, issue types, issues, comments, filters; seeds project TEST.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bigint, dialectOf, dropHostTables, hostTable, idColumn, integer, longText, seedRows, varchar } from './columns';

export class HostUpgradeTask005 implements MigrationInterface {
  readonly name = 'HostUpgradeTask0051700000000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dialect = dialectOf(queryRunner);
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_PROJECT',
      columns: [
        idColumn(dialect),
        varchar('PROJECT_KEY', 64, { isUnique: true }),
        varchar('PROJECT_NAME', 255),
        bigint('ISSUE_COUNTER', { default: 0 }),
      ],
    }));
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_ISSUE_TYPE',
      columns: [
        idColumn(dialect),
        varchar('TYPE_NAME', 255, { isUnique: true }),
        varchar('DESCRIPTION', 1000),
        integer('SUBTASK', { default: 0 }),
      ],
    }));
    await queryRunner.createTable(hostTable(dialect, {
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
      indices: [{ name: 'IDX_HOST_ISSUE_PROJECT', columnNames: ['PROJECT_KEY', 'ISSUE_NUM'] }],
    }));
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_COMMENT',
      columns: [
        idColumn(dialect),
        bigint('ISSUE_ID'),
        longText(dialect, 'BODY', { isNullable: false }),
        varchar('AUTHOR_KEY', 64),
        bigint('CREATED'),
      ],
      indices: [{ name: 'IDX_HOST_COMMENT_ISSUE', columnNames: ['ISSUE_ID'] }],
    }));
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_FILTER',
      columns: [
        idColumn(dialect),
        varchar('FILTER_NAME', 255),
        longText(dialect, 'JQL', { isNullable: false }),
        varchar('OWNER_KEY', 64),
        longText(dialect, 'DESCRIPTION'),
      ],
    }));
    await seedRows(queryRunner, 'HOST_PROJECT', [{ ID: 10000, PROJECT_KEY: 'TEST', PROJECT_NAME: 'Test Project', ISSUE_COUNTER: 0 }]);
    await seedRows(queryRunner, 'HOST_ISSUE_TYPE', [
      { ID: 10000, TYPE_NAME: 'Bug', DESCRIPTION: 'A problem which impairs or prevents the functions of the product.', SUBTASK: 0 },
      { ID: 10001, TYPE_NAME: 'Task', DESCRIPTION: 'A task that needs to be done.', SUBTASK: 0 },
      { ID: 10002, TYPE_NAME: 'Story', DESCRIPTION: 'A user story.', SUBTASK: 0 },
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropHostTables(queryRunner, ['HOST_FILTER', 'HOST_COMMENT', 'HOST_ISSUE', 'HOST_ISSUE_TYPE', 'HOST_PROJECT']);
  }
}
