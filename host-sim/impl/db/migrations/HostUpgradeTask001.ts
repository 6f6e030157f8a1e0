// Users, groups, memberships, sequences and host properties.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bigint, dialectOf, dropHostTables, hostTable, idColumn, integer, longText, varchar } from './columns';

export class HostUpgradeTask001 implements MigrationInterface {
  readonly name = 'HostUpgradeTask0011700000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dialect = dialectOf(queryRunner);
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_USER',
      columns: [
        idColumn(dialect),
        varchar('USER_KEY', 64, { isUnique: true }),
        varchar('USER_NAME', 255),
        varchar('LOWER_USER_NAME', 255, { isUnique: true }),
        varchar('DISPLAY_NAME', 255),
        varchar('EMAIL_ADDRESS', 255),
        varchar('LOWER_EMAIL_ADDRESS', 255),
        integer('ACTIVE', { default: 1 }),
        varchar('CREDENTIAL', 255, { isNullable: true }),
        varchar('LOCALE', 32),
        varchar('TIME_ZONE', 64),
        bigint('CREATED'),
        bigint('UPDATED'),
      ],
      indices: [{ name: 'IDX_HOST_USER_EMAIL', columnNames: ['LOWER_EMAIL_ADDRESS'] }],
    }));
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_GROUP',
      columns: [
        idColumn(dialect),
        varchar('GROUP_NAME', 255),
        varchar('LOWER_GROUP_NAME', 255, { isUnique: true }),
        bigint('CREATED'),
      ],
    }));
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_MEMBERSHIP',
      columns: [
        idColumn(dialect),
        varchar('USER_KEY', 64),
        varchar('LOWER_GROUP_NAME', 255),
      ],
      indices: [
        { name: 'UQ_HOST_MEMBERSHIP', columnNames: ['USER_KEY', 'LOWER_GROUP_NAME'], isUnique: true },
        { name: 'IDX_HOST_MEMBERSHIP_GROUP', columnNames: ['LOWER_GROUP_NAME'] },
      ],
    }));
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_SEQUENCE',
      columns: [varchar('SEQ_NAME', 100, { isPrimary: true }), bigint('NEXT_VALUE')],
    }));
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_PROPERTY',
      columns: [varchar('PROP_KEY', 191, { isPrimary: true }), longText(dialect, 'PROP_VALUE')],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropHostTables(queryRunner, ['HOST_PROPERTY', 'HOST_SEQUENCE', 'HOST_MEMBERSHIP', 'HOST_GROUP', 'HOST_USER']);
  }
}
