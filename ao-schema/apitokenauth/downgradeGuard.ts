import type { QueryRunner } from 'typeorm';

/**
 * A down step refused: it would drop data that keeps tokens limited, and the version below would
 * read the tokens without it — a re-upgrade could not get it back, and the tokens would come back
 * wider (docs/security.md, "Decided limits"). Nothing is changed.
 */
export class DowngradeWouldWidenTokens extends Error {
  override readonly name = 'DowngradeWouldWidenTokens';

  constructor(readonly task: string, readonly table: string, readonly what: string) {
    super(`${task} cannot be reverted: ${table} holds ${what}; without it those tokens would be wider after the downgrade `
      + 'and stay so after the next upgrade. Delete those tokens (or regenerate them as their owners) first.');
  }
}

/**
 * Throws {@link DowngradeWouldWidenTokens} when `table` has a row matching `where` (a condition on
 * quoted column names, no parameters): the down step of `task` would lose `what`.
 */
export async function refuseDowngradeWhile(queryRunner: QueryRunner, task: string, table: string, where: string, what: string): Promise<void> {
  const q = (identifier: string) => queryRunner.connection.driver.escape(identifier);
  const found = (await queryRunner.query(`SELECT 1 AS ${q('FOUND')} FROM ${q(table)}${where ? ` WHERE ${where}` : ''} LIMIT 1`)) as unknown[];
  if (found.length > 0) throw new DowngradeWouldWidenTokens(task, table, what);
}
