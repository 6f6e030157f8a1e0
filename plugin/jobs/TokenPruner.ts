import type { AuditService, Clock, Logger, UserManager } from '../../host-sim/spi';
import type { Token } from '../ao/Token';
import type { PruneReason, PruneRule, TokenMaintenanceStore } from '../ao/TokenMaintenanceStore';
import { publishCommitted } from '../service/CommittedChange';
import type { InvalidationBus } from '../service/InvalidationBus';
import type { SettingsService } from '../service/SettingsService';
import { DAY_MS } from './ExpiryNotices';
import { tokensPruned } from './PruneAuditEvents';

const BATCH = 500;
/** Upper bound of batches per rule and run, so a run always ends (the next run continues). */
const MAX_BATCHES = 200;

export interface TokenPrunerDeps {
  readonly store: TokenMaintenanceStore;
  readonly users: UserManager;
  readonly settings: SettingsService;
  readonly bus: InvalidationBus;
  readonly audit: AuditService;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Runs before the unused-token rule: flushes the last-access times of every node; false when
   * that could not be made sure of, and the rule waits for the next run.
   */
  readonly beforeUnusedRule?: () => Promise<boolean>;
}

export type PruneCounts = Readonly<Record<PruneReason, number>>;

/**
 * Deletes tokens nobody should hold any more: expired longer than `pruneExpiredAfterDays`,
 * unused for `revokeUnusedAfterDays` (when > 0), and tokens of deleted users. Each deleted
 * batch is audited and invalidated on every node (within the cluster poll interval).
 */
export class TokenPruner {
  constructor(private readonly d: TokenPrunerDeps) {}

  /** The `token-prune-job` (once per cluster, daily). */
  async run(): Promise<PruneCounts> {
    // Behind the change log, the settings held here may be older than those in force (a raised
    // pruneExpiredAfterDays keeping expired tokens for an investigation): nothing is pruned by them.
    if (!this.d.bus.isCurrent()) {
      this.d.logger.warn('Tokens not pruned in this run: this node is behind the cluster change log, its settings may be out of date');
      return { EXPIRED: 0, UNUSED: 0, OWNER_DELETED: 0 };
    }
    const settings = await this.d.settings.get();
    const now = this.d.clock.now();
    const expiredBefore = now - settings.pruneExpiredAfterDays * DAY_MS;
    const expired = await this.whileFound(() => this.d.store.findExpiredBefore(expiredBefore, BATCH),
      (ids) => this.prune('EXPIRED', ids, { expiredBefore }));
    let unused = 0;
    if (settings.revokeUnusedAfterDays > 0 && await this.lastAccessIsStored()) {
      const cutoff = now - settings.revokeUnusedAfterDays * DAY_MS;
      unused = await this.whileFound(() => this.d.store.findUnusedSince(cutoff, BATCH), (ids) => this.prune('UNUSED', ids, { unusedSince: cutoff }));
      // Those through which other tokens were issued are revoked by expiring them, not deleted:
      // pruning is no revocation and would detach what was issued through them, so a thief could
      // have a stolen token pruned (by using only what it minted) and keep the rest once the leak
      // is revoked. Kept, expired, the token still takes its offspring with it when its secret is
      // revoked or it is deleted; it is pruned once nothing issued through it is left.
      unused += await this.whileFound(() => this.d.store.findUnusedIssuersSince(cutoff, now, BATCH),
        async (ids) => this.settle('UNUSED', await this.d.store.expireNow(ids, now, { unusedSince: cutoff }), true));
    }
    const ownerDeleted = await this.pruneOrphans();
    const counts = { EXPIRED: expired, UNUSED: unused, OWNER_DELETED: ownerDeleted };
    this.d.logger.info('Token pruning finished', counts);
    return counts;
  }

  /** A use not yet written by some node would make its token look unused: then the rule is not run. */
  private async lastAccessIsStored(): Promise<boolean> {
    if (!this.d.beforeUnusedRule) return true;
    const stored = await this.d.beforeUnusedRule().catch(() => false);
    if (!stored) this.d.logger.warn('Unused tokens not pruned in this run: the last-access times of every node could not be written first');
    return stored;
  }

  /** Deletes every token of a user the host has deleted (the `user-deleted` event, on every node). */
  async pruneUser(userKey: string): Promise<number> {
    if (await this.d.users.getUserByKey(userKey)) return 0; // the user exists again (or was never gone)
    await this.d.store.markOwnerGone([userKey], this.d.clock.now());
    return this.pruneOwnerDeleted(await this.d.store.findIdsByUser(userKey));
  }

  /**
   * Tokens of deleted owners (marked before: {@link TokenMaintenanceStore.markOwnerGone}), but
   * those through which other tokens were issued (kept: they cannot authenticate).
   */
  private async pruneOwnerDeleted(ids: readonly number[]): Promise<number> {
    return this.prune('OWNER_DELETED', await this.d.store.withoutOffspring(ids));
  }

  private async pruneOrphans(): Promise<number> {
    const exists = new Map<string, boolean>();
    const orphans: number[] = [];
    let afterId = 0;
    for (;;) {
      const page = await this.d.store.scanOwned(afterId, 1000);
      for (const token of page) {
        const key = token.userKey as string;
        let known = exists.get(key);
        if (known === undefined) {
          known = (await this.d.users.getUserByKey(key)) !== null;
          exists.set(key, known);
        }
        if (!known) orphans.push(token.id);
      }
      if (page.length < 1000) break;
      afterId = page[page.length - 1].id;
    }
    // Also what a user-deleted event no node heard left unmarked, and rows from before the mark existed.
    await this.d.store.markOwnerGone([...exists].filter(([, known]) => !known).map(([key]) => key), this.d.clock.now());
    let total = 0;
    for (let i = 0; i < orphans.length; i += BATCH) total += await this.pruneOwnerDeleted(orphans.slice(i, i + BATCH));
    return total;
  }

  /** Runs `act` on batches from `next` until one is short or changes nothing; returns the count changed. */
  private async whileFound(next: () => Promise<number[]>, act: (ids: readonly number[]) => Promise<number>): Promise<number> {
    let total = 0;
    for (let i = 0; i < MAX_BATCHES; i++) {
      const ids = await next();
      if (ids.length === 0) break;
      const changed = await act(ids);
      total += changed;
      if (changed === 0 || ids.length < BATCH) break;
    }
    return total;
  }

  /** Deletes those of `ids` that still meet `rule` when the deletion runs (the store checks again under each token's lock). */
  private async prune(reason: PruneReason, ids: readonly number[], rule: PruneRule = {}): Promise<number> {
    if (ids.length === 0) return 0;
    return this.settle(reason, await this.d.store.deleteMany(ids, rule), false);
  }

  /** Invalidates on every node, audits and logs what a rule deleted (or expired, `keptForIssued`); returns how many. */
  private async settle(reason: PruneReason, tokens: readonly Token[], keptForIssued: boolean): Promise<number> {
    if (tokens.length === 0) return 0;
    // Audited also when the invalidation could not be sent (the deletion stands; review 12).
    await publishCommitted(this.d.bus, { kind: 'tokens', publicIds: tokens.map((t) => t.publicId) }, async () => {
      try {
        await this.d.audit.record(tokensPruned(reason, tokens, this.d.clock.now(), keptForIssued));
      } catch (err) {
        this.d.logger.error('Could not write the audit event of pruned tokens', { reason, tokenIds: tokens.map((t) => t.id), error: String(err) });
      }
      this.d.logger.info(keptForIssued ? 'API tokens revoked by expiring them (tokens were issued through them)' : 'API tokens pruned',
        { reason, count: tokens.length, tokenIds: tokens.map((t) => t.id) });
    });
    return tokens.length;
  }
}
