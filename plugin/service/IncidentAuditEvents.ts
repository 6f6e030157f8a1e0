import type { AuditEvent } from '../../host-sim/spi';
import type { Token } from '../ao/Token';
import { AUDIT_CATEGORY, revokedWithAttrs, TokenAuditEvents, viaAttrs, type AuditSource } from './TokenAuditEvents';

/** How an administrator named the token to look up. */
export type LookupKind = 'token' | 'publicId';

function affected(token: Token) {
  return [{ type: 'API token', id: String(token.id), name: token.description }];
}

function ownerAttrs(token: Token): Record<string, string> {
  return { tokenId: String(token.id), tokenForUserKey: token.userKey ?? '', tokenCreatedByUserKey: token.createdBy };
}

/** Audit events of incident response (docs/api.md "Incident response"). None of them carries a secret. */
export const IncidentAuditEvents = {
  /** A lookup, found or not (`token` null: unknown, wrong secret or out of the caller's reach). */
  lookedUp(token: Token | null, by: LookupKind, source: AuditSource, retiredSecret = false): AuditEvent {
    return {
      action: 'token.looked-up', summary: 'API token looked up', category: AUDIT_CATEGORY,
      author: source.author ? { key: source.author.key, name: source.author.name } : null, sourceIp: source.ip, method: source.method,
      affectedObjects: token ? affected(token) : [],
      attributes: {
        lookedUpBy: by, found: String(token !== null), ...(token ? ownerAttrs(token) : {}), ...(retiredSecret ? { matchedRetiredSecret: 'true' } : {}), ...viaAttrs(source),
      },
    };
  },
  /**
   * A token revoked by whoever held it, through the unauthenticated revocation API; `revokedWith`:
   * the presented token it was issued through (it went with it); `retiredSecret`: the presented
   * secret was one the token had before a regeneration through a token.
   */
  revoked(token: Token, ip: string, at: number, revokedWith?: number, retiredSecret = false): AuditEvent {
    return {
      action: 'token.revoked', summary: 'API token revoked by its holder', category: AUDIT_CATEGORY,
      author: null, sourceIp: ip, method: 'Token revocation API', timestamp: at,
      affectedObjects: affected(token),
      attributes: { ...ownerAttrs(token), caller: 'anonymous', ...revokedWithAttrs(revokedWith), ...(retiredSecret ? { matchedRetiredSecret: 'true' } : {}) },
    };
  },
  /** One token of a bulk deletion: the `token.deleted` event of a single delete, marked `bulk`. */
  bulkDeleted(token: Token, source: AuditSource, revokedWith?: number): AuditEvent {
    const event = TokenAuditEvents.deleted(token, source, revokedWith);
    return { ...event, attributes: { ...event.attributes, bulk: 'true' } };
  },
};
