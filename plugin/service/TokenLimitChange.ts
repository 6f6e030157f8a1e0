import { SCOPE_LEGACY, SCOPE_READ_ONLY, SCOPE_READ_WRITE, type Token } from '../ao/Token';
import type { TokenLimits } from '../ao/TokenStore';
import { ApiError } from '../errors/ApiError';
import type { TokenRestrictions } from '../restrictions/types';
import type { Actor } from './Actor';
import type { Settings } from './Settings';
import { requireMayReplaceRestrictions, requireNoExtension } from './TokenPrivileges';
import type { TokenChange } from './TokenService';
import { resolveValidity } from './TokenValidity';

/** What a PATCH needs besides the token and the change. */
export interface LimitChangeContext {
  readonly settings: () => Promise<Settings>;
  /** Restrictions and allowlist as stored JSON (null = none), or 400 RESTRICTIONS_INVALID. */
  readonly parse: (restrictions: unknown, ipAllowlist: unknown) => string | null;
  /** A stored value as this version reads it; undefined when it cannot. */
  readonly readStored: (json: string) => TokenRestrictions | undefined;
  readonly now: number;
  readonly secureMode: boolean;
}

/**
 * The limits (scope, expiry, restrictions) a PATCH changes, checked: none in secure mode; the
 * scope only lowered; the expiry within the maximum and, through a token, never later; through
 * a token no restricted token that outlives it loses or changes its restrictions; a user-less
 * token keeps a restriction and a sudo token none. Only what differs is returned.
 */
export async function limitChanges(actor: Actor, token: Token, change: TokenChange, ctx: LimitChangeContext): Promise<TokenLimits> {
  const changesRestrictions = change.restrictions !== undefined || change.ipAllowlist !== undefined;
  const changesExpiry = change.months !== undefined || change.dateTime !== undefined || change.millis !== undefined;
  const limits: { -readonly [K in keyof TokenLimits]: TokenLimits[K] } = {};
  if ((changesRestrictions || changesExpiry || change.scope !== undefined) && ctx.secureMode) throw new ApiError('SECURE_MODE_LOCKED');
  // Legacy scope 0 is read/write.
  const currentScope = token.scope === SCOPE_LEGACY ? SCOPE_READ_WRITE : token.scope;
  if (change.scope !== undefined && change.scope !== currentScope) {
    // A token handed out can only lose power: read/write (or legacy) → read-only.
    if (change.scope !== SCOPE_READ_ONLY) throw new ApiError('SCOPE_RAISE_FORBIDDEN');
    limits.scope = change.scope;
  }
  if (changesExpiry) {
    const settings = await ctx.settings();
    const validity = resolveValidity(change, { maxMonths: settings.maxValidityMonths, defaultMonths: settings.defaultValidityMonths }, ctx.now);
    requireNoExtension(actor, token, validity.validUntil);
    if (validity.validUntil !== token.validUntil) limits.validUntil = validity.validUntil;
  }
  if (changesRestrictions) {
    const json = mergeRestrictions(actor, token, change, ctx);
    if (token.userKey === null && json === null) throw new ApiError('USERLESS_NEEDS_RESTRICTION');
    // Run-as is for unrestricted tokens only (SudoResolver): a sudo token keeps no restriction.
    if (token.sudo && json !== null) throw ApiError.validation({ sudo: { key: 'sudoUnrestricted' } });
    if (json !== token.restrictions) {
      requireMayReplaceRestrictions(actor, token);
      limits.restrictions = json;
    }
  }
  return limits;
}

/**
 * `restrictions` replaces the rules and `ipAllowlist` the allowlist; a part not sent is kept
 * (allowlist entries written inside `restrictions` are added to the kept allowlist). Of a stored
 * value this version cannot read nothing can be kept without dropping what it did not understand,
 * so such a value is only replaced whole: both parts sent, else 409 RESTRICTIONS_UNREADABLE.
 */
function mergeRestrictions(actor: Actor, token: Token, change: TokenChange, ctx: LimitChangeContext): string | null {
  const current = token.restrictions === null ? { rules: [], ipAllowlist: [] } : ctx.readStored(token.restrictions);
  if (current === undefined) {
    requireMayReplaceRestrictions(actor, token);
    if (change.restrictions === undefined || change.ipAllowlist === undefined) throw new ApiError('RESTRICTIONS_UNREADABLE');
    return ctx.parse(change.restrictions, change.ipAllowlist);
  }
  if (change.restrictions === undefined) return ctx.parse({ rules: current.rules, ipAllowlist: [] }, change.ipAllowlist);
  return ctx.parse(change.restrictions, change.ipAllowlist === undefined ? current.ipAllowlist : change.ipAllowlist);
}

/** One changed value of a `token changed` audit event. */
export interface ChangedValue { readonly key: string; readonly from: string; readonly to: string }

/** The audit's changed values of the limits a PATCH set (`limits`), from the token before to after. */
export function changedLimits(before: Token, after: Token, limits: TokenLimits): ChangedValue[] {
  const changes: ChangedValue[] = [];
  if (limits.scope !== undefined) changes.push({ key: 'scope', from: String(before.scope), to: String(after.scope) });
  if (limits.validUntil !== undefined) changes.push({ key: 'validUntil', from: new Date(before.validUntil).toISOString(), to: new Date(after.validUntil).toISOString() });
  if (limits.restrictions !== undefined) changes.push({ key: 'restrictions', from: before.restrictions ?? '', to: after.restrictions ?? '' });
  return changes;
}
