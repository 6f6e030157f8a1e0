// Plugin settings, licences and enabled states.
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { bigint, dialectOf, dropHostTables, hostTable, integer, longText, varchar } from './columns';

export class HostUpgradeTask002 implements MigrationInterface {
  readonly name = 'HostUpgradeTask0021700000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dialect = dialectOf(queryRunner);
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_PLUGIN_SETTING',
      columns: [
        varchar('PLUGIN_KEY', 191, { isPrimary: true }),
        varchar('SETTING_KEY', 191, { isPrimary: true }),
        longText(dialect, 'SETTING_VALUE', { isNullable: false }),
        bigint('UPDATED'),
      ],
    }));
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_PLUGIN_LICENSE',
      columns: [varchar('PLUGIN_KEY', 191, { isPrimary: true }), varchar('LICENSE_STATE', 16), bigint('UPDATED')],
    }));
    await queryRunner.createTable(hostTable(dialect, {
      name: 'HOST_PLUGIN_STATE',
      columns: [varchar('PLUGIN_KEY', 191, { isPrimary: true }), integer('ENABLED'), bigint('UPDATED')],
    }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropHostTables(queryRunner, ['HOST_PLUGIN_STATE', 'HOST_PLUGIN_LICENSE', 'HOST_PLUGIN_SETTING']);
  }
}
