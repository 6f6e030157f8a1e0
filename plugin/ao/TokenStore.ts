import type { RetiredCredential, Token, TokenCredential, TokenScope } from './Token';

/** What it takes to insert a token (the salt and hash come from the hasher, never from a client). */
export interface NewTokenRecord {
  readonly publicId: string;
  readonly stringId: string;
  readonly userKey: string | null;
  readonly description: string;
  readonly created: number;
  readonly createdBy: string;
  readonly validUntil: number;
  readonly scope: TokenScope;
  readonly salt: Buffer;
  readonly hash: Buffer;
  readonly restrictions: string | null;
  /** An admin "sudo" token (absent = false). */
  readonly sudo?: boolean;
  /** {@link Token.issuedVia}: the calling token's id when created through a token (absent = null). */
  readonly issuedVia?: number | null;
  /** {@link Token.issuedTo}: the creator when it is not the owner (absent = null). */
  readonly issuedTo?: string | null;
}

/** The limits of a token that a PATCH may change; absent = unchanged. */
export interface TokenLimits {
  readonly scope?: TokenScope;
  readonly validUntil?: number;
  /** Null = no restrictions. */
  readonly restrictions?: string | null;
}

/** A new credential for an existing row (rotation). */
export interface RotatedCredential {
  readonly publicId: string;
  readonly salt: Buffer;
  readonly hash: Buffer;
  /** A new valid-until (regenerate = renew; re-arms the expiry warnings); absent = unchanged. */
  readonly validUntil?: number;
  /** {@link Token.issuedVia}: the calling token's id when regenerated through a token, else null. */
  readonly issuedVia: number | null;
  /** {@link Token.issuedTo}: who regenerates, when it is not the owner (for a user-less token: not its creator), else null. */
  readonly issuedTo: string | null;
  /**
   * Regenerated through a token (its id, and the time): the replaced secret is kept as retired
   * for as long as the token exists ({@link TokenStore.findRetiredCredentials}); absent when a
   * password or a session regenerates.
   */
  readonly retiredVia?: { readonly tokenId: number; readonly at: number };
  /** When the regeneration happens (epoch ms): the unused-token rule counts from it. Absent: not recorded. */
  readonly renewedAt?: number;
  /**
   * {@link Token.version} of the row the caller's checks read: another one is {@link RotateResult}
   * `CHANGED`. The token service always gives it; absent, any version will do.
   */
  readonly expectedVersion?: number;
}

/**
 * A change of a token's limits: `CHANGED` when the row's version is no longer the one the
 * caller's checks read (another change committed meanwhile; nothing was written).
 */
export type LimitsResult =
  | { readonly ok: true; readonly token: Token }
  | { readonly ok: false; readonly reason: 'NOT_FOUND' | 'CHANGED' };

/** Filters of `tokensByFilter`; every field optional, all combined with AND. */
export interface TokenFilter {
  readonly userKeys?: readonly string[];
  readonly descriptionContains?: string;
  /** valid-until ≤ value. */
  readonly notValidAfter?: number;
  readonly scope?: TokenScope;
  readonly createdFrom?: number;
  readonly createdUntil?: number;
  readonly lastUsedFrom?: number;
  readonly lastUsedUntil?: number;
  readonly expiresFrom?: number;
  readonly expiresUntil?: number;
  /** Leave out the tokens of these owners (callers ranked below them: docs/api.md). */
  readonly excludeUserKeys?: readonly string[];
  /** Leave out user-less tokens. */
  readonly excludeUserless?: boolean;
  /** Leave out the tokens the pruner found an owner deleted for (OWNER_GONE set; their rank is unknown). */
  readonly excludeOwnerGone?: boolean;
}

/** Sort keys of `tokensByFilter` (docs/api.md). */
export type TokenSortKey = 'validUntil' | 'created' | 'lastAccessed' | 'description' | 'user';
export type SortDirection = 'asc' | 'desc';

/** An order of `tokensByFilter`: ties are broken by id in the same direction; a missing owner (user-less) sorts first ascending. */
export interface TokenSort {
  readonly key: TokenSortKey;
  readonly direction: SortDirection;
}

export const DEFAULT_TOKEN_SORT: TokenSort = Object.freeze({ key: 'validUntil', direction: 'asc' });

export interface TokenPage {
  readonly tokens: readonly Token[];
  readonly total: number;
}

/** One node's collected last-access data for a token. */
export interface LastAccessUpdate {
  readonly tokenId: number;
  readonly lastAccessed: number;
  readonly lastIp: string;
  readonly useCountDelta: number;
  /** Epoch ms of the latest use this node audited (`token used`), 0 or absent: none since the last flush. */
  readonly auditedAt?: number;
  /** The client IP of that audited use. */
  readonly auditedIp?: string;
}

/** Last-access data to write: a list, or a node's pending map by token id (handed over without copying). */
export type LastAccessBatch = readonly LastAccessUpdate[] | ReadonlyMap<number, LastAccessUpdate>;

/** `ISSUER_GONE`: the token it was issued through was deleted meanwhile; the new token was deleted again. */
export type InsertResult = { readonly ok: true; readonly token: Token } | { readonly ok: false; readonly reason: 'QUOTA_EXCEEDED' | 'ISSUER_GONE' };

/**
 * A regeneration's outcome. `ISSUER_GONE`: the token it named as issuer was deleted meanwhile; the
 * regenerated token was deleted again, with what was issued through it (`deleted`).
 */
export type RotateResult =
  | { readonly ok: true; readonly token: Token; readonly previousPublicId: string }
  | { readonly ok: false; readonly reason: 'NOT_FOUND' | 'CHANGED' }
  | { readonly ok: false; readonly reason: 'ISSUER_GONE'; readonly previousPublicId: string; readonly deleted: readonly Token[] };

/** Storage of tokens. The only code that sees database rows. */
export interface TokenStore {
  get(id: number): Promise<Token | null>;
  getByStringId(stringId: string): Promise<Token | null>;
  /** The verifier's view of a token, by the public part of the presented token. */
  findCredential(publicId: string): Promise<TokenCredential | null>;
  listByUser(userKey: string): Promise<Token[]>;
  countByUser(userKey: string): Promise<number>;
  /** Sorted by valid-until ascending, then id. */
  findByFilter(filter: TokenFilter, offset: number, limit: number): Promise<TokenPage>;
  /** One page of {@link findByFilter} without the total. */
  findPageByFilter(filter: TokenFilter, offset: number, limit: number): Promise<Token[]>;
  /** The total of {@link findByFilter}. */
  countByFilter(filter: TokenFilter): Promise<number>;
  /**
   * The total of {@link findByFilter} counted no further than `cap + 1`: a substring filter scans
   * rows until it has seen that many matches, so a common substring answers at once.
   */
  countByFilterUpTo(filter: TokenFilter, cap: number): Promise<number>;
  /**
   * The exact total of {@link findByFilter}, counted over consecutive id ranges with a turn of
   * the event loop between them: for a count that reads every row (a description substring) in
   * the background, where one statement would hold SQLite's synchronous driver — and with it
   * every other request of the node — for the whole scan.
   */
  countByFilterInSlices(filter: TokenFilter): Promise<number>;
  /** One page of {@link findByFilter} in any order (the page's ids from the sort's `(column, ID)` index first). */
  findSortedPage(filter: TokenFilter, sort: TokenSort, offset: number, limit: number): Promise<Token[]>;
  /**
   * Up to `limit` tokens that come after `after` (the last token of the previous chunk; null:
   * from the start) in `sort` order. Keyset paging: every chunk of an export starts where the
   * last one ended in the index, so reading all rows costs one walk over it.
   */
  findSortedAfter(filter: TokenFilter, sort: TokenSort, after: Token | null, limit: number): Promise<Token[]>;
  /** Ids of the tokens matching `filter` above `afterId`, ascending, at most `limit`. */
  findIdsByFilter(filter: TokenFilter, afterId: number, limit: number): Promise<number[]>;
  /** The existing tokens among these ids (any order). */
  getMany(ids: readonly number[]): Promise<Token[]>;
  /** The verifier's view of the existing tokens among these public ids, in one query per 500. */
  findCredentials(publicIds: readonly string[]): Promise<TokenCredential[]>;
  /**
   * The secrets among these public ids that existing tokens had before a regeneration through a
   * token ({@link RotatedCredential.retiredVia}), each with its token's id: what the revocation API
   * and the lookup match a leaked secret against when no token has it any more. Never for authentication.
   */
  findRetiredCredentials(publicIds: readonly string[]): Promise<RetiredCredential[]>;
  /**
   * Deletes the tokens with these ids in one transaction (pruning; no revocation): tokens issued
   * through them stay and lose that link. Returns the ones it deleted.
   */
  deleteMany(ids: readonly number[]): Promise<Token[]>;
  /**
   * Revocation: deletes the tokens with these ids and, in the same transaction, every token
   * issued through one of them ({@link Token.issuedVia}), recursively; returns all it deleted
   * (the requested ones first). What was issued through a stolen token goes with it.
   */
  deleteWithIssued(ids: readonly number[]): Promise<Token[]>;
  /**
   * Inserts a token unless its owner already has `maxPerUser` tokens (a user-less token: its
   * creator), counting the tokens the user owns and the user-less tokens they created; the check
   * and insert run in one transaction under a per-user lock, so concurrent creates on any node
   * hold the quota.
   */
  insert(record: NewTokenRecord, maxPerUser: number): Promise<InsertResult>;
  updateDescription(id: number, description: string): Promise<Token | null>;
  updateRestrictions(id: number, restrictions: string | null): Promise<Token | null>;
  /**
   * Changes any of scope, valid-until and restrictions in one transaction under the token's lock
   * (bumps the version), if the row still has `expectedVersion`: the caller computed and checked
   * the limits from that row, and a change that committed since (a narrowing by the owner, say)
   * must not be written over. The token service always gives it; absent, any version will do.
   */
  updateLimits(id: number, limits: TokenLimits, expectedVersion?: number): Promise<LimitsResult>;
  /**
   * Replaces the credential (and the expiry, when given) if the row still has the version the
   * caller read ({@link RotatedCredential.expectedVersion}); returns the updated token and the public
   * id it replaced. Like {@link insert}, a regeneration naming an issuer that is gone once it has
   * committed deletes the token again.
   */
  rotate(id: number, credential: RotatedCredential): Promise<RotateResult>;
  delete(id: number): Promise<boolean>;
  /**
   * Deletes every token of a user and, as {@link deleteWithIssued}, every token issued through
   * one of them; returns all it deleted.
   */
  deleteAllForUser(userKey: string): Promise<Token[]>;
  /**
   * Merges last-access data with MAX semantics (never moves a time backwards; use counts add up):
   * one transaction, multi-row statements of a few hundred tokens, the event loop free between them.
   */
  recordLastAccess(updates: LastAccessBatch): Promise<void>;
}
