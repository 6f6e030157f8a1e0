import type { AuditService, Clock, Logger, UserManager } from '../../host-sim/spi';
import type { TokenStore } from '../ao/TokenStore';
import { ApiError } from '../errors/ApiError';
import type { Actor, CallerToken } from './Actor';
import { TokenAuditEvents } from './TokenAuditEvents';

/** Why a calling token is no longer good for its request (closed). */
export type NotLiveReason = 'DELETED' | 'REGENERATED' | 'EXPIRED' | 'USER_INACTIVE';

/** Where a checked call went (for the log line and the `token refused` audit event). */
export interface CheckedCall {
  readonly method: string;
  readonly path: string;
}

/**
 * The token API's second look at a calling token, once the request's body has arrived. The
 * filter admits a request when its headers arrive; a client that holds the body back could
 * otherwise finish a change (a token minted, another regenerated, settings changed) after the
 * token was deleted, regenerated or had expired, and revoking a stolen token would not lock the
 * thief out. The same holds for deactivating the user the request runs as. Read from the database
 * and the user directory, not from this node's caches: a revocation on another node counts from
 * its commit.
 */
export class CallerTokenCheck {
  constructor(private readonly d: {
    readonly store: Pick<TokenStore, 'get'>;
    readonly users: Pick<UserManager, 'getUserByKey'>;
    readonly clock: Clock;
    readonly audit: AuditService;
    readonly logger: Logger;
  }) {}

  /** Resolves for a caller without a token or with one still live; else 401 `TOKEN_AUTH_FAILED`. */
  async requireLive(actor: Actor, call: CheckedCall): Promise<void> {
    const caller = actor.viaToken;
    if (caller === null) return;
    const now = this.d.clock.now();
    const detail = await this.whyNotLive(actor, caller, now);
    if (detail === null) return;
    this.d.logger.warn('Token API call refused: its token changed while the request was under way', {
      tokenId: caller.id, detail, method: call.method, path: call.path, ip: actor.ip,
    });
    await this.d.audit.record(TokenAuditEvents.refused(`REVOKED_DURING_REQUEST:${detail}`,
      { tokenId: caller.id, userName: actor.user.name, method: call.method, path: call.path, ip: actor.ip ?? '' }, now))
      .catch(() => { /* the refusal stands without its audit event; the log line above has it */ });
    throw new ApiError('TOKEN_AUTH_FAILED');
  }

  private async whyNotLive(actor: Actor, caller: CallerToken, now: number): Promise<NotLiveReason | null> {
    // A principal from another plugin's filter may carry any id: no read for one that names no row.
    const token = Number.isSafeInteger(caller.id) && caller.id > 0 ? await this.d.store.get(caller.id) : null;
    if (token === null) return 'DELETED';
    if (caller.publicId === '' || token.publicId !== caller.publicId) return 'REGENERATED';
    if (token.validUntil <= now) return 'EXPIRED';
    return (await this.d.users.getUserByKey(actor.user.key))?.active === true ? null : 'USER_INACTIVE';
  }
}
