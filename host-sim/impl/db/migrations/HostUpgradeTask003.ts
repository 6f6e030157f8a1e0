// The audit log and the mail outbox.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bigint, dialectOf, dropHostTables, hostTable, idColumn, integer, longText, varchar } from './columns';

export class HostUpgradeTask003 implements MigrationInterface {
  readonly name = 'HostUpgradeTask0031700000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dialect = dialectOf(queryRunner);
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_AUDIT_EVENT',
      columns: [
        idColumn(dialect),
        bigint('EVENT_TIME'),
        varchar('ACTION', 255),
        varchar('SUMMARY', 1000),
        varchar('CATEGORY', 255),
        varchar('AUTHOR_KEY', 64, { isNullable: true }),
        varchar('AUTHOR_NAME', 255, { isNullable: true }),
        longText(dialect, 'AFFECTED_OBJECTS'),
        longText(dialect, 'CHANGED_VALUES'),
        longText(dialect, 'ATTRIBUTES'),
        varchar('SOURCE_IP', 64, { isNullable: true }),
        varchar('METHOD', 64, { isNullable: true }),
        varchar('NODE_ID', 255),
      ],
      indices: [
        { name: 'IDX_HOST_AUDIT_TIME', columnNames: ['EVENT_TIME'] },
        { name: 'IDX_HOST_AUDIT_ACTION', columnNames: ['ACTION', 'EVENT_TIME'] },
      ],
    }));
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_MAIL',
      columns: [
        idColumn(dialect),
        bigint('CREATED'),
        varchar('MAIL_TO', 1000),
        varchar('SUBJECT', 1000),
        longText(dialect, 'BODY_TEXT', { isNullable: false }),
        longText(dialect, 'BODY_HTML'),
        integer('DELIVERED', { default: 0 }),
        longText(dialect, 'DELIVERY_ERROR'),
        varchar('NODE_ID', 255),
      ],
      indices: [{ name: 'IDX_HOST_MAIL_CREATED', columnNames: ['CREATED'] }],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropHostTables(queryRunner, ['HOST_MAIL', 'HOST_AUDIT_EVENT']);
  }
}
