// Cluster locks and change log, login counters, sessions and Active Objects lock rows.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bigint, dialectOf, dropHostTables, hostTable, idColumn, integer, longText, varchar } from './columns';

export class HostUpgradeTask004 implements MigrationInterface {
  readonly name = 'HostUpgradeTask0041700000000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dialect = dialectOf(queryRunner);
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_CLUSTER_LOCK',
      columns: [
        varchar('LOCK_NAME', 191, { isPrimary: true }),
        varchar('OWNER_NODE', 255, { isNullable: true }),
        varchar('OWNER_TOKEN', 64, { isNullable: true }),
        bigint('LEASE_UNTIL', { default: 0 }),
        bigint('LAST_RUN', { default: 0 }),
      ],
    }));
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_CLUSTER_MESSAGE',
      columns: [
        idColumn(dialect),
        varchar('CHANNEL', 255),
        longText(dialect, 'PAYLOAD', { isNullable: false }),
        varchar('FROM_NODE', 255),
        bigint('CREATED'),
      ],
      indices: [{ name: 'IDX_HOST_CLUSTER_MSG_CREATED', columnNames: ['CREATED'] }],
    }));
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_LOGIN_INFO',
      columns: [
        varchar('LOWER_USER_NAME', 191, { isPrimary: true }),
        integer('CURRENT_FAILED_COUNT', { default: 0 }),
        integer('TOTAL_FAILED_COUNT', { default: 0 }),
        bigint('LAST_FAILED_TIME', { isNullable: true }),
        bigint('LAST_SUCCESS_TIME', { isNullable: true }),
      ],
    }));
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_SESSION',
      columns: [
        varchar('SESSION_ID', 64, { isPrimary: true }),
        varchar('USER_KEY', 64),
        varchar('XSRF_TOKEN', 64),
        bigint('CREATED'),
        bigint('LAST_USED'),
      ],
      indices: [{ name: 'IDX_HOST_SESSION_USER', columnNames: ['USER_KEY'] }],
    }));
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_AO_LOCK',
      columns: [varchar('LOCK_NAME', 191, { isPrimary: true }), bigint('CREATED')],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropHostTables(queryRunner, ['HOST_AO_LOCK', 'HOST_SESSION', 'HOST_LOGIN_INFO', 'HOST_CLUSTER_MESSAGE', 'HOST_CLUSTER_LOCK']);
  }
}
