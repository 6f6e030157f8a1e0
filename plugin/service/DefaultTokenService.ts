import type { SecureMode } from './ClusterSecureMode';
import type { AuditService, Clock, LicenseManager, Logger, UserManager } from '../../host-sim/spi';
import { SCOPE_READ_ONLY, SCOPE_READ_WRITE, type Token, type TokenScope } from '../ao/Token';
import type { TokenStore } from '../ao/TokenStore';
import type { TokenMailer } from '../mail/TokenMailer';
import { ApiError } from '../errors/ApiError';
import type { RestrictionSupport } from '../restrictions/RestrictionSupport';
import { generateStringId } from '../token/TokenFormat';
import type { Actor } from './Actor';
import { ChangedMeanwhile, retryWhileChanged } from './ChangedMeanwhile';
import { publishCommitted } from './CommittedChange';
import type { InvalidationBus } from './InvalidationBus';
import { IssuedSecrets } from './IssuedSecrets';
import type { PermissionService } from './PermissionService';
import type { SettingsService } from './SettingsService';
import { auditSourceOf, TokenAuditEvents } from './TokenAuditEvents';
import type { CreatedToken, CreateTokenRequest, RenewalRequest, TokenChange, TokenService, TokenServiceStatus } from './TokenService';
import { changedLimits, limitChanges, type ChangedValue } from './TokenLimitChange';
import { resolveValidity } from './TokenValidity';
import { capValidity, requireMayChange, requireNotRunningAs, TokenPrivileges } from './TokenPrivileges';
import { defaultDescription, newSecret } from './NewSecret';
import { TokenChangeAudit } from './TokenChangeAudit';
import { TokenRotation } from './TokenRotation';

/** Events per audit write when a deletion names many tokens (one statement each, bounded in size). */
const AUDIT_BATCH = 500;

export interface TokenServiceDeps {
  readonly store: TokenStore;
  readonly users: UserManager;
  readonly permissions: PermissionService;
  readonly settings: SettingsService;
  readonly licence: LicenseManager;
  readonly restrictions: RestrictionSupport;
  readonly bus: InvalidationBus;
  readonly audit: AuditService;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Secure mode (ClusterSecureMode): tokens are created and deleted, nothing else. */
  readonly secureMode: SecureMode;
  /** Mails the owner of a token created or regenerated through an API token. */
  readonly mailer: Pick<TokenMailer, 'notify'>;
}

export class DefaultTokenService implements TokenService {
  private readonly privileges: TokenPrivileges;
  private readonly issued: IssuedSecrets;
  private readonly audit: TokenChangeAudit;
  private readonly rotation: TokenRotation;
  private closed = false;

  constructor(private readonly d: TokenServiceDeps) {
    this.privileges = new TokenPrivileges(d);
    this.issued = new IssuedSecrets(d);
    this.audit = new TokenChangeAudit(d);
    this.rotation = new TokenRotation({ ...d, privileges: this.privileges, issued: this.issued, audit: this.audit, requireOpen: () => this.requireOpen() });
  }

  /**
   * The plugin is being disabled: no secret is issued any more, also not by a request that was
   * admitted before (the filter refuses the ones still being decided).
   */
  close(): void {
    this.closed = true;
  }

  private requireOpen(): void {
    if (this.closed) throw new ApiError('TOKEN_AUTH_FAILED');
  }

  get secureMode(): boolean {
    return this.d.secureMode.on;
  }

  // No licence check here: without a licence tokens are managed as usual (seed 003), only
  // authenticating with them is refused (TokenAuthenticator).
  async create(actor: Actor, request: CreateTokenRequest): Promise<CreatedToken> {
    requireMayChange(actor);
    const limitedByToken = actor.viaToken !== null && actor.viaToken.scope === SCOPE_READ_ONLY;
    // A read-only token creates read-only tokens for its own owner only: a token for another user
    // (or a user-less one) is a credential that reads as someone else, managed like their tokens.
    if (limitedByToken && (request.userless || (request.forUserKey !== undefined && request.forUserKey !== actor.user.key))) throw new ApiError('SCOPE_TOO_WEAK');
    if (request.userless) {
      if (request.forUserKey !== undefined) throw ApiError.validation({ tokenForUserKey: { key: 'userlessWithOwner' } });
      if (!(await this.d.permissions.isSystemAdmin(actor.user.key))) throw new ApiError('SYSADMIN_REQUIRED');
      await this.privileges.requireActingAsOthersAllowed(actor);
      const scope = request.scope ?? (limitedByToken ? SCOPE_READ_ONLY : SCOPE_READ_WRITE);
      if (scope !== SCOPE_READ_ONLY && limitedByToken) throw new ApiError('SCOPE_TOO_WEAK');
      return this.insert(actor, request, null, actor.user.timeZone, scope);
    }
    const ownerKey = request.forUserKey ?? actor.user.key;
    if (ownerKey !== actor.user.key && !(await this.d.permissions.mayManageOthers(actor.user.key))) throw new ApiError('ON_BEHALF_REQUIRED');
    const owner = ownerKey === actor.user.key ? actor.user : await this.d.users.getUserByKey(ownerKey);
    if (!owner) throw new ApiError('USER_NOT_FOUND');
    if (!owner.active) throw new ApiError('USER_INACTIVE');
    await this.privileges.requireRankFor(actor, owner.key);
    if (!(await this.d.permissions.mayUseTokens(owner.key))) throw new ApiError('TOKENS_NOT_ALLOWED');
    const readOnlyOnly = await this.d.permissions.isReadOnlyOnly(owner.key);
    const scope = request.scope ?? (readOnlyOnly || limitedByToken ? SCOPE_READ_ONLY : SCOPE_READ_WRITE);
    if (scope !== SCOPE_READ_ONLY && limitedByToken) throw new ApiError('SCOPE_TOO_WEAK');
    if (scope !== SCOPE_READ_ONLY && readOnlyOnly) throw new ApiError('READ_ONLY_REQUIRED');
    return this.insert(actor, request, owner.key, owner.timeZone, scope);
  }

  /** Validates validity and restrictions, then stores the token (owner null = user-less). */
  private async insert(actor: Actor, request: CreateTokenRequest, ownerKey: string | null, timeZone: string, scope: TokenScope): Promise<CreatedToken> {
    const settings = await this.d.settings.get();
    const now = this.d.clock.now();
    const explicit = request.dateTime !== undefined || request.millis !== undefined;
    const validity = capValidity(actor, resolveValidity(request, { maxMonths: settings.maxValidityMonths, defaultMonths: settings.defaultValidityMonths }, now), explicit, now);
    const parsed = this.parseRestrictions(request.restrictions, request.ipAllowlist);
    if (ownerKey === null && parsed === null) throw new ApiError('USERLESS_NEEDS_RESTRICTION');
    const sudo = request.sudo === true;
    if (sudo) await this.privileges.requireMayCreateSudo(actor, ownerKey, parsed);
    this.requireOpen();
    const generated = newSecret();
    const inserted = await this.d.store.insert({
      publicId: generated.publicId, stringId: generateStringId(), userKey: ownerKey,
      description: request.description ?? defaultDescription(now, timeZone), created: now, createdBy: actor.user.key,
      validUntil: validity.validUntil, scope, salt: generated.salt, hash: generated.hash, restrictions: parsed, sudo,
      issuedVia: actor.viaToken?.id ?? null,
      // Made on someone's behalf: the creator holds the secret, so the token is held to the creator's rank.
      issuedTo: await this.issued.holderFor(actor, ownerKey ?? actor.user.key),
    }, settings.maxTokensPerUser);
    if (!inserted.ok) throw inserted.reason === 'QUOTA_EXCEEDED' ? new ApiError('TOO_MANY_TOKENS', [settings.maxTokensPerUser]) : new ApiError('TOKEN_AUTH_FAILED');
    // Drops the new id from every node's unknown ids. None can hold it yet (the id was drawn at
    // random just now and is shown to no one before this answer), so a publish that fails — the
    // bus sends it again until delivered — does not fail the creation: the owner gets the secret
    // of the token that now exists, and the audit log shows it (review 12).
    await this.d.bus.publish({ kind: 'tokens', publicIds: [generated.publicId] }).catch(() => undefined);
    await this.audit.record(TokenAuditEvents.created(inserted.token, auditSourceOf(actor)));
    this.d.logger.info('API token created', { tokenId: inserted.token.id, forUserKey: ownerKey ?? '', byUserKey: actor.user.key, userless: ownerKey === null, sudo });
    if (this.closed) {
      // Disabled while the row was written: the secret is not handed out, and the token, audited
      // as created just now, is deleted again and audited as such (the audit log is the host's).
      const deleted = await this.d.store.deleteWithIssued([inserted.token.id]);
      await this.audit.revokedWith(deleted, auditSourceOf(actor));
      this.requireOpen();
    }
    this.issued.notifyOwner(actor, inserted.token, now);
    return { token: inserted.token, plainText: generated.plainText, months: validity.months, dateTime: validity.dateTime };
  }

  /** The JSON to store (null = none), or 400 RESTRICTIONS_INVALID with the engine's per-field errors. */
  private parseRestrictions(restrictions: unknown, ipAllowlist: unknown): string | null {
    const parsed = this.d.restrictions.parse(restrictions, ipAllowlist);
    if (!parsed.ok) throw new ApiError('RESTRICTIONS_INVALID', [], parsed.errors);
    return parsed.json;
  }

  async listOwn(actor: Actor): Promise<Token[]> {
    requireNotRunningAs(actor);
    return this.d.store.listByUser(actor.user.key);
  }

  async getVisible(actor: Actor, id: number): Promise<Token> {
    requireNotRunningAs(actor);
    const token = await this.d.store.get(id);
    // The same 404 for a token out of reach as for no token: ids of others' tokens do not leak.
    if (!token || !(await this.privileges.mayActFor(actor, token.userKey))) throw new ApiError('TOKEN_NOT_FOUND');
    return token;
  }

  async getOwnByStringId(actor: Actor, stringId: string): Promise<Token> {
    requireNotRunningAs(actor);
    const token = await this.d.store.getByStringId(stringId);
    if (!token || token.userKey === null || token.userKey !== actor.user.key) throw new ApiError('TOKEN_NOT_FOUND');
    return token;
  }

  async deleteAllOwn(actor: Actor): Promise<number> {
    requireMayChange(actor);
    this.requireWriteAccess(actor);
    const deleted = await this.d.store.deleteAllForUser(actor.user.key);
    await this.settleDeletedAll(actor, actor.user.key, deleted);
    return deleted.length;
  }

  update(actor: Actor, id: number, change: TokenChange): Promise<Token> {
    requireMayChange(actor);
    return retryWhileChanged(() => this.updateOnce(actor, id, change));
  }

  /** One attempt of {@link update}: the limits are checked against the row they are written over. */
  private async updateOnce(actor: Actor, id: number, change: TokenChange): Promise<Token> {
    let token = await this.getVisible(actor, id);
    this.requireWriteAccess(actor);
    // Secure mode (seed 004): no token data changes after creation, not even the description.
    if (await this.d.secureMode.current()) throw new ApiError('SECURE_MODE_LOCKED');
    // An expired token can only be deleted (or regenerated): no field of it changes, nothing revives it.
    if (token.validUntil <= this.d.clock.now()) throw new ApiError('EXPIRED_TOKEN_FROZEN');
    if (token.userKey === null && (change.restrictions !== undefined || change.ipAllowlist !== undefined)) await this.privileges.requireActingAsOthersAllowed(actor);
    const limits = await limitChanges(actor, token, change, {
      settings: () => this.d.settings.get(), parse: (r, ips) => this.parseRestrictions(r, ips),
      readStored: (json) => this.d.restrictions.readStored(json), now: this.d.clock.now(), secureMode: this.d.secureMode.on,
    });
    const changes: ChangedValue[] = [];
    // Each write has committed when its invalidation is published. Whatever fails after a write —
    // its publish (the bus sends it again until delivered) or the next write — is answered with
    // its error, but what was written stands and is audited first (review 12).
    try {
      if (Object.keys(limits).length > 0) {
        const updated = await this.d.store.updateLimits(id, limits, token.version);
        if (!updated.ok) throw updated.reason === 'CHANGED' ? new ChangedMeanwhile() : new ApiError('TOKEN_NOT_FOUND');
        changes.push(...changedLimits(token, updated.token, limits));
        token = updated.token;
        await this.d.bus.publish({ kind: 'tokens', publicIds: [token.publicId] });
      }
      if (change.description !== undefined && change.description !== token.description) {
        const updated = await this.d.store.updateDescription(id, change.description);
        if (!updated) throw new ApiError('TOKEN_NOT_FOUND');
        changes.push({ key: 'description', from: token.description, to: change.description });
        token = updated;
        await this.d.bus.publish({ kind: 'tokens', publicIds: [token.publicId] });
      }
    } finally {
      if (changes.length > 0) await this.audit.record(TokenAuditEvents.changed(token, changes, auditSourceOf(actor)));
    }
    return token;
  }

  async delete(actor: Actor, id: number): Promise<void> {
    requireMayChange(actor);
    const token = await this.getVisible(actor, id);
    this.requireWriteAccess(actor);
    const deleted = await this.d.store.deleteWithIssued([id]);
    if (!deleted.some((t) => t.id === id)) throw new ApiError('TOKEN_NOT_FOUND');
    await publishCommitted(this.d.bus, { kind: 'tokens', publicIds: deleted.map((t) => t.publicId) }, async () => {
      await this.audit.record(TokenAuditEvents.deleted(token, auditSourceOf(actor)));
      await this.audit.revokedWith(deleted.filter((t) => t.id !== id), auditSourceOf(actor));
    });
  }

  /** Invalidates and audits a deletion of all of `userKey`'s tokens (audited also when the invalidation could not be sent). */
  private async settleDeletedAll(actor: Actor, userKey: string, deleted: readonly Token[]): Promise<void> {
    const record = async () => {
      const source = auditSourceOf(actor);
      await this.audit.record(TokenAuditEvents.deletedAllFor(userKey, deleted.length, source));
      // Each token too, as a bulk deletion names them: an incident responder reads which ones went.
      const own = deleted.filter((t) => t.userKey === userKey);
      for (let i = 0; i < own.length; i += AUDIT_BATCH) await this.audit.recordAll(own.slice(i, i + AUDIT_BATCH).map((t) => TokenAuditEvents.deleted(t, source)));
      await this.audit.revokedWith(deleted.filter((t) => t.userKey !== userKey), source);
    };
    if (deleted.length > 0) await publishCommitted(this.d.bus, { kind: 'tokens', publicIds: deleted.map((t) => t.publicId) }, record);
    else await record();
  }

  rotate(actor: Actor, id: number, renewal: RenewalRequest = {}): Promise<CreatedToken> {
    requireMayChange(actor);
    return retryWhileChanged(async () => {
      const token = await this.getVisible(actor, id);
      this.requireWriteAccess(actor);
      if (await this.d.secureMode.current()) throw new ApiError('SECURE_MODE_LOCKED');
      return this.rotation.rotate(actor, token, renewal);
    });
  }

  async status(actor: Actor): Promise<TokenServiceStatus> {
    requireNotRunningAs(actor);
    const licenseState = this.d.licence.getLicenseState();
    return {
      licenseState, licensed: licenseState === 'valid', secureMode: this.d.secureMode.on,
      mayUseTokens: await this.d.permissions.mayUseTokens(actor.user.key),
    };
  }

  async deleteAllFor(actor: Actor, userKey: string): Promise<number> {
    requireMayChange(actor);
    if (!(await this.d.permissions.isSystemAdmin(actor.user.key))) throw new ApiError('SYSADMIN_REQUIRED');
    this.requireWriteAccess(actor);
    const deleted = await this.d.store.deleteAllForUser(userKey);
    await this.settleDeletedAll(actor, userKey, deleted);
    return deleted.length;
  }

  async userKeyByEmail(actor: Actor, email: string): Promise<string> {
    requireNotRunningAs(actor);
    if (!(await this.d.permissions.mayManageOthers(actor.user.key))) throw new ApiError('ON_BEHALF_REQUIRED');
    const users = await this.d.users.findUsersByEmail(email);
    if (users.length === 0) throw new ApiError('EMAIL_NOT_FOUND', [email]);
    if (users.length > 1) throw new ApiError('EMAIL_AMBIGUOUS', [email]);
    return users[0].key;
  }

  /** A read-only token may read and create read-only tokens, nothing else (the filter refuses most writes already). */
  private requireWriteAccess(actor: Actor): void {
    if (actor.viaToken && actor.viaToken.scope === SCOPE_READ_ONLY) throw new ApiError('SCOPE_TOO_WEAK');
  }
}
