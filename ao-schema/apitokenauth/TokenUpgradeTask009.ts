import { AddNullableColumnsTask } from './AddNullableColumnsTask';

/**
 * Adds `USE_AUDITED_AT` (epoch ms) and `USE_AUDITED_IP`: the last `token used` audit event any
 * node wrote for the token and the client IP it named, merged in by the last-access flush. A node
 * that reads the token for the first time (freshly started, or another node's token) then
 * does not audit that IP's use again within the hour: `auditTokenUse=sampled` means one event per
 * token and IP per hour for the cluster, not per node and process. Both null on existing rows (no
 * audit known). Nothing searches them, so no index. `down` drops both.
 */
export class TokenUpgradeTask009 extends AddNullableColumnsTask {
  constructor(table: string) {
    super('TokenUpgradeTask009', '1795392000009', table, [{ name: 'USE_AUDITED_AT', type: 'BIGINT' }, { name: 'USE_AUDITED_IP', type: 'VARCHAR(64)' }]);
  }
}
