import type { AuditEvent, AuditService, Clock, LicenseManager, Logger, UserManager } from '../../host-sim/spi';
import { SCOPE_READ_ONLY, SCOPE_READ_WRITE, type Token } from '../ao/Token';
import type { TokenFilter, TokenPage, TokenStore } from '../ao/TokenStore';
import { ApiError } from '../errors/ApiError';
import type { RestrictionSupport } from '../filter/RestrictionEvaluator';
import { generateStringId, generateToken } from '../token/TokenFormat';
import { hashSecret, newSalt } from '../token/SecretHasher';
import type { Actor } from './Actor';
import type { InvalidationBus } from './InvalidationBus';
import type { PermissionService } from './PermissionService';
import type { SettingsService } from './SettingsService';
import { TokenAuditEvents, type AuditSource } from './TokenAuditEvents';
import type { CreatedToken, CreateTokenRequest, TokenChange, TokenService } from './TokenService';
import { resolveValidity } from './TokenValidity';

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
  /** `apitokenauth.secure.mode`: restrictions cannot change after creation. */
  readonly secureMode: boolean;
}

function source(actor: Actor): AuditSource {
  return { author: actor.user, ip: actor.ip, method: actor.viaToken ? 'API token' : 'REST API' };
}

function defaultDescription(now: number, timeZone: string): string {
  let day: string;
  try {
    day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    day = new Date(now).toISOString().slice(0, 10);
  }
  return `API Token from ${day}`;
}

export class DefaultTokenService implements TokenService {
  constructor(private readonly d: TokenServiceDeps) {}

  async create(actor: Actor, request: CreateTokenRequest): Promise<CreatedToken> {
    if (actor.viaToken?.restricted) throw new ApiError('SCOPE_TOO_WEAK');
    if (!this.d.licence.isLicensed()) throw new ApiError('PLUGIN_UNLICENSED');
    const ownerKey = request.forUserKey ?? actor.user.key;
    if (ownerKey !== actor.user.key && !(await this.d.permissions.mayManageOthers(actor.user.key))) throw new ApiError('ON_BEHALF_REQUIRED');
    const owner = ownerKey === actor.user.key ? actor.user : await this.d.users.getUserByKey(ownerKey);
    if (!owner) throw new ApiError('USER_NOT_FOUND');
    if (!owner.active) throw new ApiError('USER_INACTIVE');
    if (!(await this.d.permissions.mayUseTokens(owner.key))) throw new ApiError('TOKENS_NOT_ALLOWED');
    const readOnlyOnly = await this.d.permissions.isReadOnlyOnly(owner.key);
    const limitedByToken = actor.viaToken !== null && actor.viaToken.scope === SCOPE_READ_ONLY;
    const scope = request.scope ?? (readOnlyOnly || limitedByToken ? SCOPE_READ_ONLY : SCOPE_READ_WRITE);
    if (scope !== SCOPE_READ_ONLY && limitedByToken) throw new ApiError('SCOPE_TOO_WEAK');
    if (scope !== SCOPE_READ_ONLY && readOnlyOnly) throw new ApiError('READ_ONLY_REQUIRED');
    const settings = await this.d.settings.get();
    const now = this.d.clock.now();
    const validity = resolveValidity(request, { maxMonths: settings.maxValidityMonths, defaultMonths: settings.defaultValidityMonths }, now);
    const parsed = this.d.restrictions.parse(request.restrictions, request.ipAllowlist);
    if (!parsed.ok) throw new ApiError('RESTRICTIONS_INVALID', [], Object.fromEntries(Object.entries(parsed.errors).map(([k, v]) => [k, { key: 'restrictions', args: [v] }])));
    const generated = generateToken();
    const salt = newSalt();
    const inserted = await this.d.store.insert({
      publicId: generated.publicId, stringId: generateStringId(), userKey: owner.key,
      description: request.description ?? defaultDescription(now, owner.timeZone), created: now, createdBy: actor.user.key,
      validUntil: validity.validUntil, scope, salt, hash: hashSecret(salt, generated.publicId, generated.secret), restrictions: parsed.json,
    }, settings.maxTokensPerUser);
    if (!inserted.ok) throw new ApiError('TOO_MANY_TOKENS', [settings.maxTokensPerUser]);
    await this.d.bus.publish({ kind: 'tokens', publicIds: [generated.publicId] });
    await this.record(TokenAuditEvents.created(inserted.token, source(actor)));
    this.d.logger.info('API token created', { tokenId: inserted.token.id, forUserKey: owner.key, byUserKey: actor.user.key });
    return { token: inserted.token, plainText: generated.plainText, months: validity.months, dateTime: validity.dateTime };
  }

  listOwn(actor: Actor): Promise<Token[]> {
    return this.d.store.listByUser(actor.user.key);
  }

  async getVisible(actor: Actor, id: number): Promise<Token> {
    const token = await this.d.store.get(id);
    if (!token) throw new ApiError('TOKEN_NOT_FOUND');
    if (token.userKey === actor.user.key) return token;
    if (await this.d.permissions.mayManageOthers(actor.user.key)) return token;
    throw new ApiError('TOKEN_NOT_FOUND');
  }

  async update(actor: Actor, id: number, change: TokenChange): Promise<Token> {
    let token = await this.getVisible(actor, id);
    this.requireWriteAccess(actor);
    const changes: Array<{ key: string; from: string; to: string }> = [];
    if (change.restrictions !== undefined || change.ipAllowlist !== undefined) {
      if (this.d.secureMode) throw new ApiError('SECURE_MODE_LOCKED');
      if (actor.viaToken?.restricted) throw new ApiError('SCOPE_TOO_WEAK');
      const parsed = this.d.restrictions.parse(change.restrictions, change.ipAllowlist);
      if (!parsed.ok) throw new ApiError('RESTRICTIONS_INVALID', [], Object.fromEntries(Object.entries(parsed.errors).map(([k, v]) => [k, { key: 'restrictions', args: [v] }])));
      if (parsed.json !== token.restrictions) {
        const updated = await this.d.store.updateRestrictions(id, parsed.json);
        if (!updated) throw new ApiError('TOKEN_NOT_FOUND');
        changes.push({ key: 'restrictions', from: token.restrictions ?? '', to: parsed.json ?? '' });
        token = updated;
        await this.d.bus.publish({ kind: 'tokens', publicIds: [token.publicId] });
      }
    }
    if (change.description !== undefined && change.description !== token.description) {
      const updated = await this.d.store.updateDescription(id, change.description);
      if (!updated) throw new ApiError('TOKEN_NOT_FOUND');
      changes.push({ key: 'description', from: token.description, to: change.description });
      token = updated;
    }
    if (changes.length > 0) await this.record(TokenAuditEvents.changed(token, changes, source(actor)));
    return token;
  }

  async delete(actor: Actor, id: number): Promise<void> {
    const token = await this.getVisible(actor, id);
    this.requireWriteAccess(actor);
    if (!(await this.d.store.delete(id))) throw new ApiError('TOKEN_NOT_FOUND');
    await this.d.bus.publish({ kind: 'tokens', publicIds: [token.publicId] });
    await this.record(TokenAuditEvents.deleted(token, source(actor)));
  }

  async rotate(actor: Actor, id: number): Promise<CreatedToken> {
    const token = await this.getVisible(actor, id);
    this.requireWriteAccess(actor);
    if (!this.d.licence.isLicensed()) throw new ApiError('PLUGIN_UNLICENSED');
    if (token.validUntil <= this.d.clock.now()) throw new ApiError('TOKEN_EXPIRED');
    const generated = generateToken();
    const salt = newSalt();
    const rotated = await this.d.store.rotate(id, { publicId: generated.publicId, salt, hash: hashSecret(salt, generated.publicId, generated.secret) });
    if (!rotated) throw new ApiError('TOKEN_NOT_FOUND');
    await this.d.bus.publish({ kind: 'tokens', publicIds: [rotated.previousPublicId, generated.publicId] });
    await this.record(TokenAuditEvents.rotated(rotated.token, source(actor)));
    const months = Math.max(1, Math.round((token.validUntil - token.created) / (30.44 * 86400000)));
    return { token: rotated.token, plainText: generated.plainText, months, dateTime: new Date(token.validUntil).toISOString() };
  }

  async deleteAllFor(actor: Actor, userKey: string): Promise<number> {
    if (!(await this.d.permissions.isSystemAdmin(actor.user.key))) throw new ApiError('SYSADMIN_REQUIRED');
    this.requireWriteAccess(actor);
    const deleted = await this.d.store.deleteAllForUser(userKey);
    if (deleted.length > 0) await this.d.bus.publish({ kind: 'tokens', publicIds: deleted.map((t) => t.publicId) });
    await this.record(TokenAuditEvents.deletedAllFor(userKey, deleted.length, source(actor)));
    return deleted.length;
  }

  async findByFilter(actor: Actor, filter: TokenFilter, page: number, limit: number): Promise<TokenPage> {
    if (!(await this.d.permissions.mayManageOthers(actor.user.key))) throw new ApiError('ON_BEHALF_REQUIRED');
    return this.d.store.findByFilter(filter, page * limit, limit);
  }

  async userKeyByEmail(actor: Actor, email: string): Promise<string> {
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

  private async record(event: AuditEvent): Promise<void> {
    try {
      await this.d.audit.record(event);
    } catch (err) {
      this.d.logger.error('Could not write an audit event', { action: event.action, error: String(err) });
    }
  }
}
