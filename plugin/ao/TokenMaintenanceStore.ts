import type { Token } from './Token';

/** A page position for keyset paging over `VALID_UNTIL, ID` (the order of the VALID_UNTIL index). */
export interface ExpiryCursor {
  readonly validUntil: number;
  readonly id: number;
}

/** Why a token was pruned. */
export type PruneReason = 'EXPIRED' | 'UNUSED' | 'OWNER_DELETED';

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
  /** Sets NOTIFICATION_STATE to `next` only if it still is `expected`; true when this call changed it. */
  compareAndSetNotificationState(id: number, expected: string | null, next: string): Promise<boolean>;
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
  /** The ids among these through which no existing token was issued. */
  withoutOffspring(ids: readonly number[]): Promise<number[]>;
  /** Sets valid-until to `now` on those of these tokens still valid then (under the pruning lock); returns them as changed. */
  expireNow(ids: readonly number[], now: number): Promise<Token[]>;
  /** Owned tokens with id greater than `afterId`, by id, at most `limit` (a full scan in pages). */
  scanOwned(afterId: number, limit: number): Promise<Token[]>;
  /** Ids of every token of one owner. */
  findIdsByUser(userKey: string): Promise<number[]>;
  /**
   * Deletes the tokens with these ids and returns those this call deleted. Runs under a
   * cluster-wide lock so that two nodes pruning the same tokens never both report them. Pruning
   * is no revocation: tokens issued through the deleted ones stay and lose that link.
   */
  deleteMany(ids: readonly number[]): Promise<Token[]>;
}
