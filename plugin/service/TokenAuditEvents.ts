import type { AuditChangedValue, AuditEvent, HostUser } from '../../host-sim/spi';
import type { Token } from '../ao/Token';
import type { Actor } from './Actor';
import type { RefusalDetail, RefusalReason } from './auth/AuthVerdict';
import type { NotLiveReason } from './CallerTokenCheck';

/**
 * Why a token was refused, as audited: the filter's reason with its detail, or a token API call
 * whose token stopped being live while the request was under way. Closed like the reasons.
 */
export type AuditedRefusal =
  | { readonly reason: RefusalReason; readonly detail?: RefusalDetail }
  | { readonly reason: 'REVOKED_DURING_REQUEST'; readonly detail: NotLiveReason };

/** How the acting request was made, for audit events. */
export interface AuditSource {
  readonly author: HostUser | null;
  readonly ip?: string;
  /** e.g. `REST API`, `API token`, `Browser`, `Job`. */
  readonly method: string;
  /** The token the caller authenticated with (method `API token`): which token did it, should it have leaked. */
  readonly viaTokenId?: number;
}

/** Who made a change through the REST API, as the audit log records it (the calling token's id when through a token). */
export function auditSourceOf(actor: Actor): AuditSource {
  return { author: actor.user, ip: actor.ip, method: actor.viaToken ? 'API token' : 'REST API', viaTokenId: actor.viaToken?.id };
}

/** The attribute naming the token a change was made through (none for a password or a session). */
export function viaAttrs(source: AuditSource): Record<string, string> {
  return source.viaTokenId === undefined ? {} : { viaTokenId: String(source.viaTokenId) };
}

export const AUDIT_CATEGORY = 'API tokens';

function affected(token: Token) {
  return [{ type: 'API token', id: String(token.id), name: token.description }];
}

function base(action: string, summary: string, source: AuditSource): AuditEvent {
  return {
    action, summary, category: AUDIT_CATEGORY,
    author: source.author ? { key: source.author.key, name: source.author.name } : null,
    sourceIp: source.ip, method: source.method,
  };
}

function ownerAttrs(token: Token): Record<string, string> {
  return { tokenId: String(token.id), tokenForUserKey: token.userKey ?? '', tokenCreatedByUserKey: token.createdBy };
}

/** The deleted token this one went with (it was issued through it), when that is why it went. */
export function revokedWithAttrs(revokedWith: number | undefined): Record<string, string> {
  return revokedWith === undefined ? {} : { revokedWithTokenId: String(revokedWith) };
}

/** The token its secret was issued through, when one was (created or regenerated through a token). */
function issuedAttrs(token: Token): Record<string, string> {
  return token.issuedVia === null ? {} : { issuedViaTokenId: String(token.issuedVia) };
}

/** Builders for every audit event of the plugin. None of them ever sees a secret or a hash. */
export const TokenAuditEvents = {
  created(token: Token, source: AuditSource): AuditEvent {
    return {
      ...base('token.created', 'API token created', source), affectedObjects: affected(token),
      attributes: { ...ownerAttrs(token), ...issuedAttrs(token), ...viaAttrs(source), scope: String(token.scope), validUntil: new Date(token.validUntil).toISOString(), restricted: String(token.restrictions !== null), sudo: String(token.sudo) },
    };
  },
  changed(token: Token, changes: readonly AuditChangedValue[], source: AuditSource): AuditEvent {
    return { ...base('token.changed', 'API token changed', source), affectedObjects: affected(token), changedValues: changes, attributes: { ...ownerAttrs(token), ...viaAttrs(source) } };
  },
  rotated(token: Token, source: AuditSource): AuditEvent {
    return { ...base('token.rotated', 'API token rotated', source), affectedObjects: affected(token), attributes: { ...ownerAttrs(token), ...issuedAttrs(token), ...viaAttrs(source) } };
  },
  /** `revokedWith`: the deleted token this one was issued through (it went with it). */
  deleted(token: Token, source: AuditSource, revokedWith?: number): AuditEvent {
    return {
      ...base('token.deleted', 'API token deleted', source), affectedObjects: affected(token),
      attributes: { ...ownerAttrs(token), ...revokedWithAttrs(revokedWith), ...viaAttrs(source) },
    };
  },
  deletedAllFor(userKey: string, count: number, source: AuditSource): AuditEvent {
    return {
      ...base('token.deleted-all-for', 'All API tokens of a user deleted', source),
      affectedObjects: [{ type: 'User', id: userKey, name: userKey }], attributes: { tokenForUserKey: userKey, count: String(count), ...viaAttrs(source) },
    };
  },
  settingsChanged(changes: readonly AuditChangedValue[], source: AuditSource): AuditEvent {
    const via = viaAttrs(source);
    return { ...base('token.settings-changed', 'API token settings changed', source), changedValues: changes, ...(via.viaTokenId ? { attributes: via } : {}) };
  },
  /** A use; for a sudo request `runAsBy` is the token's owner (the author) and `user` the user run as. */
  used(token: { id: number; description: string; userKey: string | null }, user: HostUser,
    request: { method: string; path: string; status: number; ip: string; runAsBy?: HostUser; aborted?: boolean }, at: number): AuditEvent {
    const attributes: Record<string, string> = { tokenId: String(token.id), httpMethod: request.method, path: request.path, status: String(request.status) };
    // The client closed the connection before the answer was out: `status` is what had been set by then.
    if (request.aborted) attributes.aborted = 'true';
    const author = request.runAsBy ?? user;
    if (request.runAsBy) {
      attributes.runAsUserKey = user.key;
      attributes.runAsUserName = user.name;
    }
    return {
      action: 'token.used', summary: request.runAsBy ? `API token used to run as ${user.name}` : 'API token used', category: AUDIT_CATEGORY,
      author: { key: author.key, name: author.name }, sourceIp: request.ip, method: 'API token', timestamp: at,
      affectedObjects: [{ type: 'API token', id: String(token.id), name: token.description }],
      attributes,
    };
  },
  /** `reason` and `detail` are written as one attribute, `REASON` or `REASON:detail`. */
  refused(refusal: AuditedRefusal, details: { tokenId?: number; userName?: string; method: string; path: string; ip: string }, at: number): AuditEvent {
    const reason = refusal.detail ? `${refusal.reason}:${refusal.detail}` : refusal.reason;
    const attributes: Record<string, string> = { reason, httpMethod: details.method, path: details.path };
    if (details.tokenId !== undefined) attributes.tokenId = String(details.tokenId);
    if (details.userName !== undefined) attributes.userName = details.userName;
    return {
      action: 'token.refused', summary: 'API token refused', category: AUDIT_CATEGORY, author: null,
      sourceIp: details.ip, method: 'API token', timestamp: at, attributes,
      affectedObjects: details.tokenId !== undefined ? [{ type: 'API token', id: String(details.tokenId), name: '' }] : [],
    };
  },
};
