import type { Token } from '../ao/Token';
import { ApiError } from '../errors/ApiError';
import type { Actor } from './Actor';
import { capValidity } from './TokenPrivileges';
import { monthsSpanned, resolveValidity, type ResolvedValidity, type ValidityRequest } from './TokenValidity';

/** The longest validity, in months, a month count is searched for (the settings' maximum). */
const MAX_MONTHS = 1200;

/**
 * The expiry a regenerated token gets (regenerate = renew, docs/api.md "Rotate"): the given
 * expiry (months, date or epoch ms, with the rules of create), else now + the default validity,
 * both within the maximum.
 *
 * Through a token (docs/api.md "What a token may do") the regenerated token never outlives the
 * calling token (an explicit later date: 403 TOKEN_PRIVILEGE_EXCEEDED) and is never extended
 * (an explicit date after its current expiry: 403 EXPIRY_EXTENSION_FORBIDDEN); a month count or
 * the default is lowered to the nearer of the two, so without a new expiry it keeps its own.
 * Passwords and sessions are bound by the settings only.
 */
export function renewedValidity(actor: Actor, token: Token, request: ValidityRequest,
  limits: { maxMonths: number; defaultMonths: number }, now: number): ResolvedValidity {
  const explicit = request.dateTime !== undefined || request.millis !== undefined;
  const validity = capValidity(actor, resolveValidity(request, limits, now), explicit, now);
  if (!actor.viaToken || validity.validUntil <= token.validUntil) return validity;
  if (explicit) throw new ApiError('EXPIRY_EXTENSION_FORBIDDEN');
  return { validUntil: token.validUntil, months: monthsSpanned(now, token.validUntil, MAX_MONTHS), dateTime: new Date(token.validUntil).toISOString() };
}

/**
 * The token a regenerated secret is issued through. By a password or a session: none (the owner
 * takes the token back). Through a token, the token stays tied to whatever issued it, so that no
 * regeneration detaches it from a token that may be revoked later: a token issued by a password
 * becomes the caller's; the caller itself, or a token issued through the caller, keeps its link;
 * any other (issued through a third token) is 403 TOKEN_PRIVILEGE_EXCEEDED — else a thief would
 * regenerate what a stolen token issued through itself, or two such tokens through each other,
 * and keep them when the stolen token is deleted.
 */
export function issuedViaOnRotate(actor: Actor, token: Token): number | null {
  const caller = actor.viaToken;
  if (caller === null) return null;
  if (token.id === caller.id || token.issuedVia === caller.id) return token.issuedVia;
  if (token.issuedVia === null) return caller.id;
  throw new ApiError('TOKEN_PRIVILEGE_EXCEEDED');
}
