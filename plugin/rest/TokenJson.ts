import type { Token } from '../ao/Token';
import type { LastAccessRecorder } from '../service/LastAccessRecorder';
import type { CreatedToken } from '../service/TokenService';
import type { RestrictionsViews } from './RestrictionsViews';

/** Last access including what this node has not flushed yet. */
export function lastAccess(token: Token, recorder: LastAccessRecorder): { at: number; ip: string | null; uses: number } {
  const pending = recorder.pendingFor(token.id);
  if (!pending) return { at: token.lastAccessed, ip: token.lastIp, uses: token.useCount };
  const newer = pending.lastAccessed > token.lastAccessed;
  return { at: newer ? pending.lastAccessed : token.lastAccessed, ip: newer ? pending.lastIp : token.lastIp, uses: token.useCount + pending.useCountDelta };
}

/** A token in the own-token list (`GET /user/token`). */
export function tokenListItem(token: Token, recorder: LastAccessRecorder, now: number, views: RestrictionsViews) {
  const access = lastAccess(token, recorder);
  return {
    id: token.id,
    description: token.description,
    created: token.created,
    lastAccessed: access.at,
    validUntil: token.validUntil,
    tokenScope: token.scope,
    tokenForUserKey: token.userKey,
    tokenCreatedByUserKey: token.createdBy,
    lastAccessedFromIp: access.ip,
    useCount: access.uses,
    expired: token.validUntil <= now,
    ...views.of(token.restrictions),
    userless: token.userKey === null,
    sudo: token.sudo,
  };
}

/** A token in `tokensByFilter` content: the original app's fields, then the last IP and the restrictions (null when none). */
export function filteredItem(token: Token, recorder: LastAccessRecorder, views: RestrictionsViews) {
  const access = lastAccess(token, recorder);
  return {
    id: token.id,
    description: token.description,
    created: token.created,
    lastAccessed: access.at,
    validUntil: token.validUntil,
    tokenScope: token.scope,
    // A user-less token is listed with an empty owner.
    tokenForUserKey: token.userKey ?? '',
    tokenCreatedByUserKey: token.createdBy,
    lastAccessedFromIp: access.ip,
    ...views.of(token.restrictions),
    // Only sudo tokens carry `sudo`.
    ...(token.sudo ? { sudo: true } : {}),
  };
}

/** The create (and rotate) response: the only answer that carries the plain token. */
export function createdResponse(created: CreatedToken) {
  return {
    id: created.token.id,
    plainTextToken: created.plainText,
    tokenDescription: created.token.description,
    tokenForUserKey: created.token.userKey,
    tokenValidityTimeInMonths: created.months,
    tokenExpirationDateTime: created.dateTime,
    tokenExpirationDateTimeMillis: created.token.validUntil,
    tokenScope: created.token.scope,
  };
}
