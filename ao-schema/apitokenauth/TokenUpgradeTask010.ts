import { AddNullableColumnsTask } from './AddNullableColumnsTask';

/**
 * Adds `RENEWED`: epoch ms of the token's last regeneration (a new secret and term); null when it
 * was never regenerated. The unused-token rule counts from it as from a use: a token its owner
 * regenerated — as the expiry mail advises — is not deleted as unused days later for a last use
 * before the regeneration (found by the attack review of 2026-12-04). Null on existing rows.
 * Nothing searches it alone, so no index. `down` drops it.
 */
export class TokenUpgradeTask010 extends AddNullableColumnsTask {
  constructor(table: string) {
    super('TokenUpgradeTask010', '1795392000010', table, [{ name: 'RENEWED', type: 'BIGINT' }]);
  }
}
