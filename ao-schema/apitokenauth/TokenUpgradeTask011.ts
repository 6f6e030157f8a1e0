import { AddNullableColumnsTask } from './AddNullableColumnsTask';

/**
 * Adds `OWNER_GONE`: epoch ms at which the pruner found the token's owner deleted; null while the
 * owner exists (and on existing rows: the next daily pruning run marks what is already orphaned).
 * Such a token is kept while tokens issued through it exist, and only system admins may see it:
 * the rank of a deleted owner is unknown, and the directory no longer names them, so a manager's
 * listing can tell them apart only by this mark (identity review of 2026-12-05). Read only beside
 * other conditions, so no index. `down` drops it: the mark is derived, and after a re-upgrade the
 * next pruning run sets it again.
 */
export class TokenUpgradeTask011 extends AddNullableColumnsTask {
  constructor(table: string) {
    super('TokenUpgradeTask011', '1795392000011', table, [{ name: 'OWNER_GONE', type: 'BIGINT' }]);
  }
}
