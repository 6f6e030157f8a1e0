// An index on HOST_SESSION.LAST_USED: the session store deletes the sessions idle past the
// timeout by it (DefaultSessionStore), a range over the oldest rows rather than a scan.
import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import { dialectOf, hostName } from './columns';

const INDEX = 'IDX_HOST_SESSION_LAST_USED';

export class HostUpgradeTask007 implements MigrationInterface {
  readonly name = 'HostUpgradeTask0071700000000007';

  async up(queryRunner: QueryRunner): Promise<void> {
    const n = (name: string) => hostName(dialectOf(queryRunner), name);
    await queryRunner.createIndex(n('HOST_SESSION'), new TableIndex({ name: n(INDEX), columnNames: [n('LAST_USED')] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const n = (name: string) => hostName(dialectOf(queryRunner), name);
    await queryRunner.dropIndex(n('HOST_SESSION'), n(INDEX));
  }
}
