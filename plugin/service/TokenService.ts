import type { LicenseState } from '../../host-sim/spi';
import type { Token, TokenScope } from '../ao/Token';
import type { Actor } from './Actor';

/** A create request after type validation. */
export interface CreateTokenRequest {
  readonly description?: string;
  readonly months?: number;
  readonly dateTime?: string;
  readonly millis?: number;
  /** 0 is the seeds' legacy scope (tokens before 1.5.0): read/write, stored and shown as 0. */
  readonly scope?: TokenScope;
  readonly forUserKey?: string;
  /** A token without owner (system admins only; needs a restriction; Basic auth as any active user). */
  readonly userless?: boolean;
  readonly restrictions?: unknown;
  readonly ipAllowlist?: unknown;
  /** An admin "sudo" token (system admins, own token, no restrictions, `sudoTokensAllowed` on). */
  readonly sudo?: boolean;
}

/** A token just created or rotated: the only moment its plain text exists. */
export interface CreatedToken {
  readonly token: Token;
  readonly plainText: string;
  readonly months: number;
  readonly dateTime: string;
}

/** A PATCH: every field optional. Refused as a whole in secure mode. */
export interface TokenChange {
  readonly description?: string;
  readonly restrictions?: unknown;
  readonly ipAllowlist?: unknown;
  /** Only lowering is allowed (read/write or legacy → read-only). */
  readonly scope?: 1 | 2;
  /** A new expiry, as on create (months from now, ISO date with offset, or epoch ms), within the maximum. */
  readonly months?: number;
  readonly dateTime?: string;
  readonly millis?: number;
}

/** A regenerate's new expiry, as on create; all absent = now + the default validity. */
export interface RenewalRequest {
  readonly months?: number;
  readonly dateTime?: string;
  readonly millis?: number;
}

/** What pages need to know before the user acts (`GET /user/token/status`). */
export interface TokenServiceStatus {
  readonly licenseState: LicenseState;
  /** Tokens authenticate only with a valid licence; managing them works without one. */
  readonly licensed: boolean;
  /** `apitokenauth.secure.mode`: tokens can only be created and deleted. */
  readonly secureMode: boolean;
  /** The caller may create tokens for themselves (`tokenUserGroups`). */
  readonly mayUseTokens: boolean;
}

/**
 * Token management with every permission rule of docs/api.md "What a token may
 * do" (restricted tokens change nothing, no request running as another user reaches it, tokens
 * never beget more powerful tokens, expired tokens are frozen, on-behalf stops at higher ranks).
 * Throws ApiError.
 */
export interface TokenService {
  create(actor: Actor, request: CreateTokenRequest): Promise<CreatedToken>;
  listOwn(actor: Actor): Promise<Token[]>;
  /** A token the actor may see (own, or with the on-behalf permission one of a user not ranked above them); 404 otherwise. */
  getVisible(actor: Actor, id: number): Promise<Token>;
  update(actor: Actor, id: number, change: TokenChange): Promise<Token>;
  delete(actor: Actor, id: number): Promise<void>;
  /**
   * Regenerate = renew: a new secret and a new expiry (the given one, else now + the default).
   * An expired token too, but never through a token; never in secure mode.
   */
  rotate(actor: Actor, id: number, renewal?: RenewalRequest): Promise<CreatedToken>;
  deleteAllFor(actor: Actor, userKey: string): Promise<number>;
  userKeyByEmail(actor: Actor, email: string): Promise<string>;
  /** The actor's own token by its `asp_…` id (`/rest/api-tokens`); 404 for anyone else's. */
  getOwnByStringId(actor: Actor, stringId: string): Promise<Token>;
  /** Deletes every token of the actor; returns the count. */
  deleteAllOwn(actor: Actor): Promise<number>;
  /** Licence, secure mode and the caller's permission to use tokens, for pages to warn in time. */
  status(actor: Actor): Promise<TokenServiceStatus>;
  /** Secure mode now: this node's `apitokenauth.secure.mode`, or another node's (ClusterSecureMode). */
  readonly secureMode: boolean;
}

export type { TokenScope };
