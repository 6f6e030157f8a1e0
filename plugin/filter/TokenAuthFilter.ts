import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { isServiceUnavailable, type Clock, type HostUser, type Logger, type LoginManager, type UserManager } from '../../host-sim/spi';
import { looksLikeToken } from '../token/TokenFormat';
import { CREDENTIAL_FAILURES, type AuthFailureReason, type AuthResult, type TokenAuthenticator } from '../service/TokenAuthenticator';
import type { AuditQueue } from '../service/AuditQueue';
import type { FailedAttemptThrottle } from '../service/FailedAttemptThrottle';
import type { SettingsService } from '../service/SettingsService';
import { TokenAuditEvents } from '../service/TokenAuditEvents';
import { decodeBasic, FirstColonBasicStrategy } from './FirstColonBasicStrategy';
import { FilterResponses } from './FilterResponses';
import { runStrategy } from './StrategyRunner';
import type { TokenRequestGuard } from './TokenRequestGuard';

type Scheme = 'basic' | 'bearer';
/** Every reason a token request is refused, as logged and audited. */
export type RefusalReason = AuthFailureReason | 'SCHEME_NOT_ALLOWED' | 'PASSWORD_BASIC_DISABLED' | 'MALFORMED' | 'THROTTLED' | 'CAPTCHA' | string;

export interface TokenAuthFilterDeps {
  readonly authenticator: TokenAuthenticator;
  readonly guard: TokenRequestGuard;
  readonly settings: SettingsService;
  readonly throttle: FailedAttemptThrottle;
  readonly loginManager: LoginManager;
  readonly userManager: UserManager;
  readonly auditQueue: AuditQueue;
  readonly responses: FilterResponses;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly contextPath: string;
}


/**
 * The `token-auth-filter` servlet filter (before login, on `/rest/*`): authenticates API tokens
 * sent by Basic (`username:token`) or Bearer, through passport strategies (run by
 * {@link runStrategy}), without sessions. Requests without a token fall through to the host.
 */
export class TokenAuthFilter {
  private readonly basicStrategy: FirstColonBasicStrategy;
  private readonly bearerStrategy: BearerStrategy<(req: Request, token: string, done: (err: unknown, user?: unknown) => void) => void>;
  /** Users whose failed-login counter this node raised; a later token success resets it once. */
  private readonly failedUsers = new Set<string>();

  constructor(private readonly deps: TokenAuthFilterDeps, realm: string) {
    // The verify callbacks hand the authenticator's whole verdict to the filter as passport's
    // "user" (always truthy, so the strategy reports success): the filter, not the strategy,
    // answers failures, with one generic message and the real reason in the log.
    this.basicStrategy = new FirstColonBasicStrategy(realm, (_req, userId, password, done) => {
      this.deps.authenticator.authenticate(password, userId).then((result) => done(null, result), done);
    });
    this.bearerStrategy = new BearerStrategy({ realm, passReqToCallback: true }, (_req: Request, token: string, done: (err: unknown, user?: unknown) => void) => {
      this.deps.authenticator.authenticate(token, null).then((result) => done(null, result), done);
    });
  }

  middleware(): RequestHandler {
    return (req, res, next) => { this.handle(req, res, next).catch(next); };
  }

  private async handle(req: Request, res: Response, next: NextFunction): Promise<void> {
    const header = req.headers.authorization;
    if (req.principal || !header) return next();
    const scheme = header.slice(0, Math.max(0, header.indexOf(' '))).toLowerCase();
    let claimedUser: string | null = null;
    if (scheme === 'basic') {
      const basic = decodeBasic(header);
      if (!basic) return next();
      if (!looksLikeToken(basic.password)) {
        const settings = this.deps.settings.peek() ?? await this.settingsOr503(res);
        if (!settings) return;
        if (settings.passwordBasicAuthAllowed) return next();
        return this.refuse(req, res, 'basic', 'PASSWORD_BASIC_DISABLED', { userName: basic.userId }, false);
      }
      claimedUser = basic.userId;
    } else if (scheme !== 'bearer') {
      return next();
    }
    const tried: Scheme = scheme;
    const settings = this.deps.settings.peek() ?? await this.settingsOr503(res);
    if (!settings) return;
    if (settings.authSchemes !== 'both' && settings.authSchemes !== tried) {
      return this.refuse(req, res, tried, 'SCHEME_NOT_ALLOWED', { userName: claimedUser ?? undefined }, false);
    }
    const throttled = this.deps.throttle.check(this.ip(req));
    if (throttled.blocked) {
      this.logRefusal(req, 'THROTTLED', {});
      this.deps.responses.send(req, res, 'THROTTLED', null, { 'Retry-After': String(throttled.retryAfterSeconds) });
      return;
    }
    runStrategy(tried === 'basic' ? this.basicStrategy : this.bearerStrategy, req, (outcome) => {
      if (outcome.kind === 'pass') return next();
      if (outcome.kind === 'error') return this.error(req, res, outcome.error);
      const result = outcome.kind === 'success' ? outcome.user as AuthResult : undefined;
      this.afterStrategy(req, res, next, tried, claimedUser, result).catch(next);
    });
  }

  private async afterStrategy(req: Request, res: Response, next: NextFunction, scheme: Scheme, claimedUser: string | null,
    result: AuthResult | undefined): Promise<void> {
    if (!result || !result.ok) {
      // No result: the strategy itself refused the header (e.g. an empty Bearer value).
      const reason = result ? result.reason : 'MALFORMED';
      const failed = result && !result.ok ? result : undefined;
      return this.refuse(req, res, scheme, reason, {
        tokenId: failed?.credential?.tokenId, userName: claimedUser ?? undefined,
        userKey: scheme === 'bearer' ? failed?.credential?.userKey ?? undefined : undefined,
      }, CREDENTIAL_FAILURES.has(reason as AuthFailureReason));
    }
    try {
      if (await this.deps.loginManager.isElevatedSecurityCheckRequired(result.user.name)) {
        this.logRefusal(req, 'CAPTCHA', { tokenId: result.credential.tokenId, userName: result.user.name });
        this.auditRefusal(req, 'CAPTCHA', { tokenId: result.credential.tokenId, userName: result.user.name });
        return this.deps.responses.send(req, res, 'CAPTCHA_REQUIRED', result.user, this.deps.loginManager.captchaChallengeHeaders());
      }
      const pending = this.deps.guard.admit(req, res, result.credential, this.ip(req));
      const verdict = pending instanceof Promise ? await pending : pending;
      if (!verdict.allowed) {
        this.logRefusal(req, verdict.reason, { tokenId: result.credential.tokenId, userName: result.user.name });
        this.auditRefusal(req, verdict.reason, { tokenId: result.credential.tokenId, userName: result.user.name });
        return this.deps.responses.send(req, res, verdict.code, result.user);
      }
      if (this.failedUsers.delete(result.user.name)) await this.deps.loginManager.recordSuccessfulLogin(result.user.name);
    } catch (e) {
      return this.error(req, res, e);
    }
    this.deps.guard.accept(req, res, result.credential, result.user, this.ip(req));
    next();
  }

  private async refuse(req: Request, res: Response, scheme: Scheme, reason: RefusalReason,
    who: { tokenId?: number; userName?: string; userKey?: string }, countsAsFailure: boolean): Promise<void> {
    let user: HostUser | null = null;
    try {
      user = who.userKey ? await this.deps.userManager.getUserByKey(who.userKey)
        : who.userName ? await this.knownUser(who.userName) : null;
      if (countsAsFailure) {
        this.deps.throttle.recordFailure(this.ip(req));
        if (user) {
          if (await this.deps.loginManager.isElevatedSecurityCheckRequired(user.name)) {
            this.logRefusal(req, 'CAPTCHA', { tokenId: who.tokenId, userName: user.name });
            return this.deps.responses.send(req, res, 'CAPTCHA_REQUIRED', user, this.deps.loginManager.captchaChallengeHeaders());
          }
          await this.deps.loginManager.recordFailedLogin(user.name);
          this.failedUsers.add(user.name);
        }
      }
    } catch (e) {
      return this.error(req, res, e);
    }
    this.logRefusal(req, reason, { tokenId: who.tokenId, userName: user?.name ?? who.userName });
    this.auditRefusal(req, reason, { tokenId: who.tokenId, userName: user?.name ?? who.userName });
    this.deps.responses.unauthorized(req, res, scheme, user);
  }

  private async knownUser(nameOrEmail: string): Promise<HostUser | null> {
    const byName = await this.deps.userManager.getUserByName(nameOrEmail);
    if (byName || !nameOrEmail.includes('@')) return byName;
    const byEmail = await this.deps.userManager.findUsersByEmail(nameOrEmail);
    return byEmail.length === 1 ? byEmail[0] : null;
  }

  private error(req: Request, res: Response, err: unknown): void {
    if (isServiceUnavailable(err)) {
      this.deps.logger.error('Token authentication impossible: database unavailable', { path: this.path(req) });
      return this.deps.responses.send(req, res, 'DATABASE_UNAVAILABLE', null, { 'Retry-After': '5' });
    }
    this.deps.logger.error('Token authentication failed unexpectedly', { path: this.path(req), error: err instanceof Error ? err.message : String(err) });
    this.deps.responses.send(req, res, 'INTERNAL_ERROR');
  }

  private logRefusal(req: Request, reason: string, who: { tokenId?: number; userName?: string }): void {
    this.deps.logger.info('API token refused', { reason, tokenId: who.tokenId, user: who.userName, ip: this.ip(req), method: req.method, path: this.path(req) });
  }

  private auditRefusal(req: Request, reason: string, who: { tokenId?: number; userName?: string }): void {
    this.deps.auditQueue.enqueue(TokenAuditEvents.refused(reason, { ...who, method: req.method, path: this.path(req), ip: this.ip(req) }, this.deps.clock.now()));
  }

  private async settingsOr503(res: Response) {
    try {
      return await this.deps.settings.get();
    } catch (err) {
      this.error(res.req, res, err);
      return null;
    }
  }

  private ip(req: Request): string {
    return req.clientIp ?? req.ip ?? req.socket.remoteAddress ?? 'unknown';
  }

  private path(req: Request): string {
    const url = req.originalUrl.split('?')[0];
    return this.deps.contextPath && url.startsWith(this.deps.contextPath) ? url.slice(this.deps.contextPath.length) : url;
  }
}
