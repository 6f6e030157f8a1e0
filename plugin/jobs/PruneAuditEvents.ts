import type { AuditEvent } from '../../host-sim/spi';
import type { Token } from '../ao/Token';
import type { PruneReason } from '../ao/TokenMaintenanceStore';
import { AUDIT_CATEGORY } from '../service/TokenAuditEvents';

const SUMMARY: Record<PruneReason, string> = {
  EXPIRED: 'Expired API tokens pruned',
  UNUSED: 'Unused API tokens revoked',
  OWNER_DELETED: 'API tokens of deleted users pruned',
};

/**
 * One audit event per pruned batch (at most a few hundred tokens): the reason, the count and
 * the ids, each token as an affected object; `keptForIssued`: expired rather than deleted,
 * because tokens were issued through them. Never a secret or a hash.
 */
export function tokensPruned(reason: PruneReason, tokens: readonly Token[], at: number, keptForIssued = false): AuditEvent {
  return {
    action: 'token.pruned', summary: SUMMARY[reason], category: AUDIT_CATEGORY, author: null, method: 'Job', timestamp: at,
    affectedObjects: tokens.map((t) => ({ type: 'API token', id: String(t.id), name: t.description })),
    attributes: {
      reason, count: String(tokens.length), tokenIds: tokens.map((t) => t.id).join(','),
      userKeys: [...new Set(tokens.map((t) => t.userKey ?? ''))].join(','),
      // Revoked by expiring them, kept: tokens were issued through them (TokenPruner).
      ...(keptForIssued ? { keptForIssued: 'true' } : {}),
    },
  };
}
