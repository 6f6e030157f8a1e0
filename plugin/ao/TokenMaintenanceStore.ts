import type { Token } from './Token';

/** A page position for keyset paging over `VALID_UNTIL, ID` (the order of the VALID_UNTIL index). */
export interface ExpiryCursor {
  readonly validUntil: number;
  readonly id: number;
}

/** Why a token was pruned. */
export type PruneReason = 'EXPIRED' | 'UNUSED' | 'OWNER_DELETED';

/** What a token must still be when {@link TokenMaintenanceStore.deleteMany} deletes it. */
export interface PruneRule {
  /** Valid until before this (epoch ms). */
  readonly expiredBefore?: number;
  /** Last used before this, or never used and created before it (epoch ms). */
  readonly unusedSince?: number;
}

/**
 * The queries of the plugin's background work (expiry warnings, new-IP alerts, pruning),
 * kept apart from the request-facing {@link TokenStore}. Conditional updates are
 * compare-and-set on the previous column value, so that when several nodes race exactly one wins.
 */
export interface TokenMaintenanceStore {
  /**
   * Owned tokens (USER_KEY not null) whose valid-until lies in `[from, until]`, ordered by
   * valid-until then id, starting after `after`; at most `limit`.
   */
  findExpiringBetween(from: number, until: number, after: ExpiryCursor | null, limit: number): Promise<Token[]>;
  /**
   * Sets NOTIFICATION_STATE to `next` only if it still is `expected` and the token still expires
   * at `validUntil`; true when this call changed it. A regeneration meanwhile clears the state for
   * its new term: without the expiry in the condition, a notice about the old term would be sent
   * and recorded as the new term's (found by the attack review of 2026-12-04).
   */
  compareAndSetNotificationState(id: number, expected: string | null, next: string, validUntil: number): Promise<boolean>;
  /** Sets KNOWN_IPS to `next` only if it still is `expected`; true when this call changed it. */
  compareAndSetKnownIps(id: number, expected: string | null, next: string): Promise<boolean>;
  /** Tokens by id (missing ids are left out). */
  getMany(ids: readonly number[]): Promise<Token[]>;
  /**
   * Ids of tokens whose valid-until is before `cutoff`, oldest first, at most `limit` — none
   * through which an existing token was issued (kept, see TokenPruner).
   */
  findExpiredBefore(cutoff: number, limit: number): Promise<number[]>;
  /**
   * Ids of tokens last used before `cutoff`, or never used and created before it; at most
   * `limit` — none through which an existing token was issued (see {@link findUnusedIssuersSince}).
   */
  findUnusedSince(cutoff: number, limit: number): Promise<number[]>;
  /** Ids of the unused tokens (as {@link findUnusedSince}) still valid at `now` through which an existing token was issued. */
  findUnusedIssuersSince(cutoff: number, now: number, limit: number): Promise<number[]>;
  /**
   * Marks every token of these (deleted) owners not marked yet with OWNER_GONE = `at`, before the
   * pruner deletes those nothing was issued through: the ones kept stay out of everyone's reach
   * but system admins'. Returns how many rows it marked.
   */
  markOwnerGone(userKeys: readonly string[], at: number): Promise<number>;
  /** The ids among these through which no existing token was issued. */
  withoutOffspring(ids: readonly number[]): Promise<number[]>;
  /**
   * Sets valid-until to `now` on those of these tokens still valid then and still meeting `rule`
   * (under the pruning lock); returns them as changed.
   */
  expireNow(ids: readonly number[], now: number, rule?: PruneRule): Promise<Token[]>;
  /** Owned tokens with id greater than `afterId`, by id, at most `limit` (a full scan in pages). */
  scanOwned(afterId: number, limit: number): Promise<Token[]>;
  /** Ids of every token of one owner. */
  findIdsByUser(userKey: string): Promise<number[]>;
  /**
   * Deletes those of these tokens that still meet `rule` when the deletion runs, and through which
   * no existing token was issued; returns those this call deleted. Runs under a cluster-wide lock
   * (two nodes pruning the same tokens never both report them) and each token's own lock, the one
   * a regeneration of it and a create or regeneration through it take: a token regenerated, used
   * (as flushed) or issued through since it was found is kept (found by the attack review of
   * 2026-12-04: a token minted through an idle one between the two steps lost its link, and so
   * escaped the revocation of the leak; an expired token its owner had just regenerated was
   * deleted).
   */
  deleteMany(ids: readonly number[], rule?: PruneRule): Promise<Token[]>;
}
