// Sessions stored by earlier versions: HOST_SESSION kept each session's id as it is, which
// signs in whoever reads it. This version keeps the SHA-256 of the id (DefaultSessionStore) and
// cannot know those rows' cookies, so it deletes them: everyone signed in signs in again once.
// The way down deletes them too (the version below looks sessions up by the plain id).
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectOf, hostName } from './columns';

export class HostUpgradeTask008 implements MigrationInterface {
  readonly name = 'HostUpgradeTask0081700000000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM ${hostName(dialectOf(queryRunner), 'HOST_SESSION')}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await this.up(queryRunner);
  }
}
