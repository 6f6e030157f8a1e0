import type { AuditService, Clock, Logger, UserManager } from '../../host-sim/spi';
import { SCOPE_READ_ONLY, type Token } from '../ao/Token';
import type { TokenStore } from '../ao/TokenStore';
import { ApiError } from '../errors/ApiError';
import type { Actor, CallerToken } from './Actor';
import { loggedPath } from './auth/RequestTarget';
import { TokenAuditEvents } from './TokenAuditEvents';

/** Why a calling token is no longer good for its request (closed). */
export type NotLiveReason = 'DELETED' | 'REGENERATED' | 'EXPIRED' | 'USER_INACTIVE';

/** Where a checked call went (for the log line and the `token refused` audit event). */
export interface CheckedCall {
  readonly method: string;
  /**
   * The canonical path the filter admitted the request for (RequestTarget: inside the context
   * path, decoded), as its principal carries it; null when the principal does not say.
   */
  readonly path: string | null;
}

/**
 * The token API's second look at a calling token, once the request's body has arrived. The
 * filter admits a request when its headers arrive; a client that holds the body back could
 * otherwise finish a change (a token minted, another regenerated, settings changed) after the
 * token was deleted, regenerated or had expired, and revoking a stolen token would not lock the
 * thief out. The same holds for deactivating the user the request runs as. The token is read from
 * the database, not from this node's cache, so a revocation on another node counts from its
 * commit; the user comes from the host's user directory, which learns of a deactivation on
 * another node within the cluster's poll interval.
 */
export class CallerTokenCheck {
  constructor(private readonly d: {
    readonly store: Pick<TokenStore, 'get'>;
    readonly users: Pick<UserManager, 'getUserByKey'>;
    readonly clock: Clock;
    readonly audit: AuditService;
    readonly logger: Logger;
  }) {}

  /**
   * Resolves with the calling token as the database holds it now (null for a caller without a
   * token) while it is still good for the request; else 401 `TOKEN_AUTH_FAILED`.
   */
  async requireLive(actor: Actor, call: CheckedCall): Promise<Token | null> {
    const caller = actor.viaToken;
    if (caller === null) return null;
    const now = this.d.clock.now();
    // A principal from another plugin's filter may carry any id: no read for one that names no row.
    const token = Number.isSafeInteger(caller.id) && caller.id > 0 ? await this.d.store.get(caller.id) : null;
    const detail = await this.whyNotLive(actor, caller, token, now);
    if (detail === null && token !== null) return token;
    const why = detail ?? 'DELETED';
    // The filter's reading of the request (never read again from the URL), written as it writes its refusals.
    const path = loggedPath(call.path);
    this.d.logger.warn('Token API call refused: its token changed while the request was under way', {
      tokenId: caller.id, detail: why, method: call.method, path, ip: actor.ip,
    });
    await this.d.audit.record(TokenAuditEvents.refused({ reason: 'REVOKED_DURING_REQUEST', detail: why },
      { tokenId: caller.id, userName: actor.user.name, method: call.method, path, ip: actor.ip ?? '' }, now))
      .catch(() => { /* the refusal stands without its audit event; the log line above has it */ });
    throw new ApiError('TOKEN_AUTH_FAILED');
  }

  private async whyNotLive(actor: Actor, caller: CallerToken, token: Token | null, now: number): Promise<NotLiveReason | null> {
    if (token === null) return 'DELETED';
    if (caller.publicId === '' || token.publicId !== caller.publicId) return 'REGENERATED';
    if (token.validUntil <= now) return 'EXPIRED';
    return (await this.d.users.getUserByKey(actor.user.key))?.active === true ? null : 'USER_INACTIVE';
  }
}

/**
 * A token principal's details narrowed to its row as it is now: a token cut down while its
 * request was under way (read-only, restricted, an earlier expiry) acts within its new limits;
 * a widening meanwhile counts from its next request.
 */
export function narrowedDetails(details: Readonly<Record<string, unknown>>, token: Token): Record<string, unknown> {
  const scope = details.scope === SCOPE_READ_ONLY || token.scope === SCOPE_READ_ONLY ? SCOPE_READ_ONLY : details.scope;
  const validUntil = typeof details.validUntil === 'number' ? Math.min(details.validUntil, token.validUntil) : 0;
  return { ...details, scope, restricted: details.restricted !== false || token.restrictions !== null, validUntil };
}
