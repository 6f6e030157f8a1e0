import type { AuthenticatedPrincipal, HostUser } from '../../../host-sim/spi';
import { SCOPE_READ_ONLY, type TokenCredential, type TokenScope } from '../../ao/Token';
import { createIpAllowlist, type IpAllowlist } from '../../restrictions';
import type { CompiledTokenRestrictions, RestrictionEvaluator } from '../../restrictions/RestrictionSupport';
import type { MaybePromise } from '../MaybePromise';
import type { PermissionService } from '../PermissionService';
import { isUnreadable, type Settings } from '../Settings';
import { refuse, type AuthVerdict, type RefuseVerdict } from './AuthVerdict';
import type { SecretHolderCheck } from './SecretHolderCheck';
import type { SudoResolver } from './SudoResolver';
import { READING_METHODS, type TokenRequestView } from './TokenRequestView';

/**
 * The POSTs a read-only token may make, on the canonical path (docs/api.md): the ones that only
 * read — Jira's JQL search by POST (jira.js `searchForIssuesUsingJqlPost`; `search/jql` of newer
 * Jira versions) — and creating a token, which the token service keeps read-only. Exact paths,
 * compared case-sensitively: a spelling routing would also accept is refused, never widened.
 */
const READ_ONLY_POSTS = /^\/rest\/(api\/(2|latest)\/search(\/jql)?|de\.resolution\.apitokenauth\/[^/]+\/user\/token)\/?$/;

/**
 * The limits of a verified token on one request, in order: a user-less token's creator still an
 * active system admin, or, for a token made or regenerated on its owner's behalf, the person who
 * holds its secret still active and not below the owner's rank; the global IP allowlist, the effective scope (`readOnlyOnlyGroups`
 * applies to existing tokens the moment the setting or a membership changes), the token's
 * restrictions on the canonical path, then sudo. Synchronous while nothing has to be read:
 * settings cached, no group limits, restrictions compiled and no body rule, no run-as header, not
 * a user-less token, nor one held by someone other than its owner.
 */
export class TokenAdmission {
  /** The global allowlist, built once per settings object (a change replaces the object). */
  private readonly allowlists = new WeakMap<Settings, IpAllowlist>();
  /** UPM's URLs of this plugin (`/rest/plugins/<version>/<key>-key…`), any spelling routing accepts. */
  private readonly ownUpmPath: RegExp;

  constructor(
    private readonly permissions: PermissionService,
    private readonly restrictions: RestrictionEvaluator,
    private readonly sudo: SudoResolver,
    private readonly holders: SecretHolderCheck,
    pluginKey: string,
  ) {
    this.ownUpmPath = new RegExp(`^/rest/plugins/[^/]+/${pluginKey.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-key(/|$)`, 'i');
  }

  admit(view: TokenRequestView, path: string, settings: Settings, credential: TokenCredential, owner: HostUser): MaybePromise<AuthVerdict> {
    const fenced = this.fenceRefusal(view, settings, credential, owner.name);
    // The hot path (no fence, restrictions compiled) allocates no closure.
    if (fenced === null) return this.forClient(view, path, settings, credential, owner);
    if (fenced instanceof Promise) return fenced.then((f) => f ?? this.forClient(view, path, settings, credential, owner));
    return fenced;
  }

  /**
   * The refusal every request of this client gets with this token, whatever user it names or the
   * token's owner is: outside the global IP allowlist or the token's own, or restrictions that
   * refuse everything; null when the rest decides. Asked before anything about a user is told,
   * also when naming the user failed (TokenRequestAuthentication): a token's holder that cannot
   * use it from here must not learn which user names exist, are active or own the token from a
   * 401 beside a 403 (disclosure review, 2026-12-04). No user's locale: the client's language.
   */
  fenceRefusal(view: TokenRequestView, settings: Settings, credential: TokenCredential, userName: string | undefined): MaybePromise<RefuseVerdict | null> {
    if ((settings.ipAllowlist.length > 0 || isUnreadable(settings, 'ipAllowlist')) && !this.ipAllowed(settings, view.ip)) {
      return refuse('IP_NOT_ALLOWED', 'TOKEN_IP_NOT_ALLOWED', { tokenId: credential.tokenId, userName });
    }
    const compiled = this.restrictions.peek(credential.restrictions);
    if (compiled === undefined) {
      return this.restrictions.compile(credential.restrictions as string).then((c) => this.fenceOf(c, view, credential, userName));
    }
    return this.fenceOf(compiled, view, credential, userName);
  }

  private fenceOf(compiled: CompiledTokenRestrictions | null, view: TokenRequestView, credential: TokenCredential, userName: string | undefined): RefuseVerdict | null {
    // A user-less token's row without restrictions refuses everything (withScope): so here as well.
    const reason = compiled === null ? (credential.userKey === null ? 'RESTRICTIONS_INVALID' : null) : compiled.clientRefusal(view.ip);
    if (reason === null) return null;
    return refuse('RESTRICTED', reason === 'IP_NOT_ALLOWED' ? 'TOKEN_IP_NOT_ALLOWED' : 'TOKEN_RESTRICTED', { tokenId: credential.tokenId, userName, detail: reason });
  }

  /** {@link admit} once the client is not fenced off: the secret's holder, then the limits. */
  private forClient(view: TokenRequestView, path: string, settings: Settings, credential: TokenCredential, owner: HostUser): MaybePromise<AuthVerdict> {
    if (this.holders.applies(credential)) {
      return this.holders.refusal(credential, owner).then((refusal) => refusal ?? this.limits(view, path, settings, credential, owner));
    }
    return this.limits(view, path, settings, credential, owner);
  }

  private limits(view: TokenRequestView, path: string, settings: Settings, credential: TokenCredential, owner: HostUser): MaybePromise<AuthVerdict> {
    // Switching this plugin off (or on) through UPM would end every token rule and let passwords
    // in again where they are switched off: a person with a password or a session does it.
    if (!READING_METHODS.has(view.method) && this.ownUpmPath.test(path)) {
      return refuse('PLUGIN_STATE_BY_TOKEN', 'FORBIDDEN', { tokenId: credential.tokenId, userName: owner.name }, { user: owner });
    }
    if (credential.scope === SCOPE_READ_ONLY || (settings.readOnlyOnlyGroups.length === 0 && !isUnreadable(settings, 'readOnlyOnlyGroups'))) {
      return this.withScope(view, path, settings, credential, owner, credential.scope);
    }
    return this.readOnlyOnly(credential, owner)
      .then((readOnly) => this.withScope(view, path, settings, credential, owner, readOnly ? SCOPE_READ_ONLY : credential.scope));
  }

  /**
   * A `readOnlyOnlyGroups` member's tokens are read-only, and so is a token whose secret such a
   * member holds (made or regenerated on its owner's behalf, or a user-less one): privilege does
   * not flow to the holder through someone else's account.
   */
  private async readOnlyOnly(credential: TokenCredential, owner: HostUser): Promise<boolean> {
    const holder = credential.secretHolder;
    if (holder === '' || holder === owner.key) return this.permissions.isReadOnlyOnly(owner.key);
    const [ownerReads, holderReads] = await Promise.all([this.permissions.isReadOnlyOnly(owner.key), this.permissions.isReadOnlyOnly(holder)]);
    return ownerReads || holderReads;
  }

  private withScope(view: TokenRequestView, path: string, settings: Settings, credential: TokenCredential, owner: HostUser, scope: TokenScope): MaybePromise<AuthVerdict> {
    if (scope === SCOPE_READ_ONLY && !readOnlyMayCall(view.method, path)) {
      return refuse('SCOPE_READ_ONLY', 'TOKEN_READ_ONLY', { tokenId: credential.tokenId, userName: owner.name }, { user: owner });
    }
    const compiled = this.restrictions.peek(credential.restrictions);
    if (compiled === null) {
      // A user-less token is made restricted only (USERLESS_NEEDS_RESTRICTION); a row of one without
      // restrictions (another version's, an import) would act as anyone named in Basic: refused.
      if (credential.userKey === null) {
        return refuse('RESTRICTED', 'TOKEN_RESTRICTED', { tokenId: credential.tokenId, userName: owner.name, detail: 'RESTRICTIONS_INVALID' }, { user: owner });
      }
      return this.withRunAs(view, path, settings, credential, owner, scope);
    }
    if (compiled === undefined) {
      return this.restrictions.compile(credential.restrictions as string)
        .then((c) => this.restricted(view, path, settings, credential, owner, scope, c));
    }
    return this.restricted(view, path, settings, credential, owner, scope, compiled);
  }

  private restricted(view: TokenRequestView, path: string, settings: Settings, credential: TokenCredential, owner: HostUser,
    scope: TokenScope, compiled: CompiledTokenRestrictions): MaybePromise<AuthVerdict> {
    const who = { tokenId: credential.tokenId, userName: owner.name };
    const check = (body: unknown): MaybePromise<AuthVerdict> => {
      const verdict = compiled.evaluate({ method: view.method, path, ip: view.ip, query: view.query(), headers: view.headers, body });
      if (!verdict.allowed) {
        // The client learns which limit refused (the token's IP allowlist or its rules), never the rule.
        return refuse('RESTRICTED', verdict.reason === 'IP_NOT_ALLOWED' ? 'TOKEN_IP_NOT_ALLOWED' : 'TOKEN_RESTRICTED', { ...who, detail: verdict.reason }, { user: owner });
      }
      return this.withRunAs(view, path, settings, credential, owner, scope);
    };
    if (!compiled.needsBody) return check(undefined);
    return view.readBody().then((read) => (read.ok
      ? check(read.body)
      : refuse('BODY_TOO_LARGE', 'PAYLOAD_TOO_LARGE', who, { user: owner })));
  }

  private withRunAs(view: TokenRequestView, path: string, settings: Settings, credential: TokenCredential, owner: HostUser, scope: TokenScope): MaybePromise<AuthVerdict> {
    const runAs = this.sudo.requested(view.headers);
    if (runAs === null) return admitted(credential, owner, owner, scope, false, path);
    return this.sudo.resolve(runAs, credential, owner, path, settings)
      .then((outcome) => (outcome.ok ? this.asTarget(view, path, credential, owner, outcome.user, scope) : outcome.refusal));
  }

  /**
   * The user run as is held to the token policies as if the token were theirs, as a user-less
   * token's acting user is: `tokenUserGroups` (else 403 SUDO_TARGET_FORBIDDEN) and
   * `readOnlyOnlyGroups` (the request's scope becomes read-only).
   */
  private async asTarget(view: TokenRequestView, path: string, credential: TokenCredential, owner: HostUser, target: HostUser, scope: TokenScope): Promise<AuthVerdict> {
    const who = { tokenId: credential.tokenId, userName: owner.name };
    if (!(await this.permissions.mayUseTokens(target.key))) return refuse('SUDO_TARGET_NO_TOKENS', 'SUDO_TARGET_FORBIDDEN', who, { user: owner });
    const targetScope = scope !== SCOPE_READ_ONLY && await this.permissions.isReadOnlyOnly(target.key) ? SCOPE_READ_ONLY : scope;
    if (targetScope === SCOPE_READ_ONLY && !readOnlyMayCall(view.method, path)) return refuse('SCOPE_READ_ONLY', 'TOKEN_READ_ONLY', who, { user: owner });
    // Last, with nothing left to wait for: the request takes its event's place in the audit queue.
    return this.sudo.takeAuditPlace(credential, owner) ?? admitted(credential, owner, target, targetScope, true, path);
  }

  private ipAllowed(settings: Settings, ip: string): boolean {
    // Another version's allowlist this version cannot read admits no address.
    if (isUnreadable(settings, 'ipAllowlist')) return false;
    let allowlist = this.allowlists.get(settings);
    if (!allowlist) this.allowlists.set(settings, allowlist = createIpAllowlist(settings.ipAllowlist));
    return allowlist.contains(ip);
  }
}

/** What a read-only token may call: reading methods, and the few POSTs that only read or create a read-only token. */
function readOnlyMayCall(method: string, path: string): boolean {
  return READING_METHODS.has(method) || (method === 'POST' && READ_ONLY_POSTS.test(path));
}

function admitted(credential: TokenCredential, owner: HostUser, user: HostUser, scope: TokenScope, sudo: boolean, path: string): AuthVerdict {
  const principal: AuthenticatedPrincipal = {
    user, method: 'api-token', credentialId: String(credential.tokenId),
    details: {
      tokenId: credential.tokenId, publicId: credential.publicId, scope, restricted: credential.restrictions !== null, validUntil: credential.validUntil, sudo,
      runAsByUserKey: sudo ? owner.key : undefined,
      // The canonical path the request was admitted for: what a later refusal names (LiveCallerToken).
      path,
    },
  };
  return { kind: 'admit', principal, credential, owner };
}
