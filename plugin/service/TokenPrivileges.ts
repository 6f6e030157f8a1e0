import { SCOPE_READ_ONLY, type Token, type TokenScope } from '../ao/Token';
import type { TokenFilter, TokenStore } from '../ao/TokenStore';
import { ApiError } from '../errors/ApiError';
import type { Actor } from './Actor';
import { RANK_SYSADMIN, type PermissionService } from './PermissionService';
import type { SettingsService } from './SettingsService';
import { addMonthsUtc, type ResolvedValidity } from './TokenValidity';

/** Scopes by power: legacy 0 is read/write. */
function power(scope: TokenScope): 1 | 2 {
  return scope === SCOPE_READ_ONLY ? 1 : 2;
}

/** The longest validity, in months, a month count is searched for (the settings' maximum). */
const MAX_MONTHS = 1200;

/** Any token API or settings call, read or write: never by a request running as another user. */
export function requireNotRunningAs(actor: Actor): void {
  if (actor.viaToken?.sudo) throw new ApiError('SUDO_NOT_ALLOWED');
}

/** Any change of tokens or settings: never through a token with a restriction (nor running as another user). */
export function requireMayChange(actor: Actor): void {
  requireNotRunningAs(actor);
  if (actor.viaToken?.restricted) throw new ApiError('RESTRICTED_TOKEN_FORBIDDEN');
}

/**
 * A create's validity within the calling token's expiry: an explicit date beyond it is 403
 * TOKEN_PRIVILEGE_EXCEEDED, a month count or the default is lowered to it. Passwords and
 * sessions are not capped.
 */
export function capValidity(actor: Actor, validity: ResolvedValidity, explicit: boolean, now: number): ResolvedValidity {
  const limit = actor.viaToken?.validUntil;
  if (limit === undefined || validity.validUntil <= limit) return validity;
  if (explicit || limit <= now) throw new ApiError('TOKEN_PRIVILEGE_EXCEEDED');
  let months = 1;
  while (months < MAX_MONTHS && addMonthsUtc(now, months) < limit) months++;
  return { validUntil: limit, months, dateTime: new Date(limit).toISOString() };
}

/** A PATCH through a token may move an expiry earlier, never later. */
export function requireNoExtension(actor: Actor, token: Token, validUntil: number): void {
  if (actor.viaToken && validUntil > token.validUntil) throw new ApiError('EXPIRY_EXTENSION_FORBIDDEN');
}

/**
 * Replacing or lifting the restrictions of a restricted token may widen it (rules are patterns:
 * which of two sets is narrower is not decided here), and a widening done through a stolen token
 * would outlive that token's revocation (nothing links the two, and the expiry of any token can
 * first be moved down to the caller's): only a password or a session does it. Giving an
 * unrestricted token restrictions only narrows it and stays allowed.
 */
export function requireMayReplaceRestrictions(actor: Actor, token: Token): void {
  if (actor.viaToken && token.restrictions !== null) throw new ApiError('TOKEN_PRIVILEGE_EXCEEDED');
}

/**
 * The rules of docs/api.md "What a token may do" that need a lookup: who ranks above whom
 * (system admin > admin > user) and whether the calling token is a sudo token.
 */
export class TokenPrivileges {
  constructor(private readonly d: { readonly store: TokenStore; readonly permissions: PermissionService; readonly settings: SettingsService }) {}

  /**
   * May the actor act on the tokens of `ownerKey` (null: user-less) besides their own? With the
   * on-behalf permission and a rank at least the owner's; user-less tokens are system admins' only.
   */
  async mayActFor(actor: Actor, ownerKey: string | null): Promise<boolean> {
    if (ownerKey === actor.user.key) return true;
    if (ownerKey === null) return this.d.permissions.isSystemAdmin(actor.user.key);
    if (!(await this.d.permissions.mayManageOthers(actor.user.key))) return false;
    const [mine, theirs] = await Promise.all([this.d.permissions.rankOf(actor.user.key), this.d.permissions.rankOf(ownerKey)]);
    return mine >= theirs;
  }

  /** Creating for another user (the on-behalf permission is checked before): 403 when they outrank the actor. */
  async requireRankFor(actor: Actor, ownerKey: string): Promise<void> {
    if (ownerKey === actor.user.key) return;
    const [mine, theirs] = await Promise.all([this.d.permissions.rankOf(actor.user.key), this.d.permissions.rankOf(ownerKey)]);
    if (theirs > mine) throw new ApiError('TARGET_OUTRANKS_CALLER');
  }

  /**
   * `filter` narrowed to the owners the actor may see: no higher-ranked owner, no user-less token
   * and no token of a deleted owner (whose rank is unknown) but for system admins.
   */
  async visibleFilter(actor: Actor, filter: TokenFilter): Promise<TokenFilter> {
    const rank = await this.d.permissions.rankOf(actor.user.key);
    if (rank === RANK_SYSADMIN) return filter;
    const above = await this.d.permissions.userKeysRankedAbove(rank);
    return { ...filter, excludeUserless: true, excludeOwnerGone: true, ...(above.length > 0 ? { excludeUserKeys: above } : {}) };
  }

  /**
   * Rotating through a token: not a token with a higher scope or a later expiry, nor a sudo or
   * user-less token (each acts as other users) but by a sudo token while `sudoTokensAllowed` is
   * on, as for creating one ({@link requireActingAsOthersAllowed}).
   */
  async requireNotMorePowerful(actor: Actor, target: Token): Promise<void> {
    const caller = actor.viaToken;
    if (!caller) return;
    if (power(target.scope) > power(caller.scope) || target.validUntil > caller.validUntil) throw new ApiError('TOKEN_PRIVILEGE_EXCEEDED');
    if (target.userKey === null || target.sudo) await this.requireActingAsOthersAllowed(actor);
  }

  /**
   * Creating a user-less token, changing its rules, or regenerating a user-less or sudo token,
   * through a token (system admin and restriction are checked by the caller): such a token acts
   * as other users, so only an unrestricted sudo token not running as anyone does it, while
   * `sudoTokensAllowed` is on.
   */
  async requireActingAsOthersAllowed(actor: Actor): Promise<void> {
    if (!actor.viaToken) return;
    if (!(await this.d.settings.get()).sudoTokensAllowed || !(await this.callerIsSudoToken(actor))) throw new ApiError('TOKEN_PRIVILEGE_EXCEEDED');
  }

  /**
   * A create with `"sudo": true`: a system admin, for their own token, without restrictions,
   * while `sudoTokensAllowed` is on; through a token only an unrestricted sudo token not running
   * as anyone (the restriction and run-as rules hold for every create already).
   */
  async requireMayCreateSudo(actor: Actor, ownerKey: string | null, restrictions: string | null): Promise<void> {
    if (!(await this.d.permissions.isSystemAdmin(actor.user.key))) throw new ApiError('SYSADMIN_REQUIRED');
    if (ownerKey !== actor.user.key) throw ApiError.validation({ sudo: { key: 'sudoOwnTokenOnly' } });
    if (restrictions !== null) throw ApiError.validation({ sudo: { key: 'sudoUnrestricted' } });
    if (!(await this.d.settings.get()).sudoTokensAllowed) throw new ApiError('SUDO_TOKENS_DISABLED');
    if (actor.viaToken && !(await this.callerIsSudoToken(actor))) throw new ApiError('TOKEN_PRIVILEGE_EXCEEDED');
  }

  private async callerIsSudoToken(actor: Actor): Promise<boolean> {
    const caller = actor.viaToken;
    if (!caller || caller.restricted || caller.sudo) return false;
    return (await this.d.store.get(caller.id))?.sudo === true;
  }
}
