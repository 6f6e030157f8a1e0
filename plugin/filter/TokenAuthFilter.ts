import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isServiceUnavailable, type Clock, type HostUser, type Logger, type LoginManager, type UserManager } from '../../host-sim/spi';
import { looksLikeToken } from '../token/TokenFormat';
import { CREDENTIAL_FAILURES, type AuthFailureReason, type AuthResult, type TokenAuthenticator } from '../service/TokenAuthenticator';
import type { AuditQueue } from '../service/AuditQueue';
import type { FailedAttemptThrottle } from '../service/FailedAttemptThrottle';
import { type MaybePromise } from '../service/MaybePromise';
import type { Settings } from '../service/Settings';
import type { SettingsService } from '../service/SettingsService';
import { TokenAuditEvents } from '../service/TokenAuditEvents';
import { decodeBasic, FirstColonBasicStrategy } from './FirstColonBasicStrategy';
import { FilterResponses } from './FilterResponses';
import { HeaderBearerStrategy } from './HeaderBearerStrategy';
import { StrategyRunner } from './StrategyRunner';
import type { GuardVerdict, TokenRequestGuard } from './TokenRequestGuard';

type Scheme = 'basic' | 'bearer';
type Verified = AuthResult & { readonly ok: true };
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
 * {@link StrategyRunner}), without sessions. Requests without a token fall through to the host.
 */
export class TokenAuthFilter {
  private readonly basic: StrategyRunner;
  private readonly bearer: StrategyRunner;
  /** Users whose failed-login counter this node raised; a later token success resets it once. */
  private readonly failedUsers = new Set<string>();

  constructor(private readonly deps: TokenAuthFilterDeps, realm: string) {
    // The verify callbacks hand the authenticator's whole verdict to the filter as passport's
    // "user" (always truthy, so the strategy reports success): the filter, not the strategy,
    // answers failures, with one generic message and the real reason in the log.
    this.basic = new StrategyRunner(new FirstColonBasicStrategy(realm, (_req, userId, password, done) => {
      deliver(this.deps.authenticator.authenticate(password, userId), done);
    }));
    this.bearer = new StrategyRunner(new HeaderBearerStrategy(realm, (_req, token, done) => {
      deliver(this.deps.authenticator.authenticate(token, null), done);
    }));
  }

  middleware(): RequestHandler {
    return (req, res, next) => this.handle(req, res, next);
  }

  /**
   * Synchronous from header to `next()` while the settings, the credential, the owner and the
   * owner's login state are cached on this node; each of them, when missing, is loaded and the
   * request continues when it arrives.
   */
  private handle(req: Request, res: Response, next: NextFunction): void {
    const header = req.headers.authorization;
    if (req.principal || !header) return next();
    const scheme = header.slice(0, Math.max(0, header.indexOf(' '))).toLowerCase();
    if (scheme === 'basic') {
      const basic = decodeBasic(header);
      if (!basic) return next();
      if (looksLikeToken(basic.password)) return this.authenticate(req, res, next, 'basic', basic.userId);
      return this.withSettings(req, res, next, (settings) => {
        if (settings.passwordBasicAuthAllowed) return next();
        this.refuse(req, res, 'basic', 'PASSWORD_BASIC_DISABLED', { userName: basic.userId }, false).catch(next);
      });
    }
    if (scheme === 'bearer') return this.authenticate(req, res, next, 'bearer', null);
    next();
  }

  private authenticate(req: Request, res: Response, next: NextFunction, scheme: Scheme, claimedUser: string | null): void {
    const settings = this.deps.settings.peek();
    if (settings) this.authenticateWith(req, res, next, settings, scheme, claimedUser);
    else this.withSettings(req, res, next, (s) => this.authenticateWith(req, res, next, s, scheme, claimedUser));
  }

  private authenticateWith(req: Request, res: Response, next: NextFunction, settings: Settings, scheme: Scheme, claimedUser: string | null): void {
    if (settings.authSchemes !== 'both' && settings.authSchemes !== scheme) {
      this.refuse(req, res, scheme, 'SCHEME_NOT_ALLOWED', { userName: claimedUser ?? undefined }, false).catch(next);
      return;
    }
    const throttled = this.deps.throttle.check(this.ip(req));
    if (throttled.blocked) {
      this.logRefusal(req, 'THROTTLED', {});
      this.deps.responses.send(req, res, 'THROTTLED', null, { 'Retry-After': String(throttled.retryAfterSeconds) });
      return;
    }
    (scheme === 'basic' ? this.basic : this.bearer).run(req, (outcome) => {
      if (outcome.kind === 'pass') return next();
      if (outcome.kind === 'error') return this.error(req, res, outcome.error);
      const result = outcome.kind === 'success' ? outcome.user as AuthResult : undefined;
      if (!result || !result.ok) {
        // No result: the strategy itself refused the header (e.g. an empty Bearer value).
        const reason = result ? result.reason : 'MALFORMED';
        this.refuse(req, res, scheme, reason, {
          tokenId: result?.credential?.tokenId, userName: claimedUser ?? undefined,
          userKey: scheme === 'bearer' ? result?.credential?.userKey ?? undefined : undefined,
        }, CREDENTIAL_FAILURES.has(reason as AuthFailureReason)).catch(next);
        return;
      }
      this.admit(req, res, next, result);
    });
  }

  /**
   * The checks after a valid token: CAPTCHA state, the request limits, then success. Each step
   * is a method that continues at once when its input is at hand (no closure on that path) and
   * through {@link step} when it must wait.
   */
  private admit(req: Request, res: Response, next: NextFunction, result: Verified): void {
    const login = this.deps.loginManager;
    const elevated = login.peekElevatedSecurityCheckRequired(result.user.name);
    if (elevated === undefined) {
      this.step(req, res, next, login.isElevatedSecurityCheckRequired(result.user.name), (e) => this.admitUnlessCaptcha(req, res, next, result, e));
    } else {
      this.admitUnlessCaptcha(req, res, next, result, elevated);
    }
  }

  private admitUnlessCaptcha(req: Request, res: Response, next: NextFunction, result: Verified, elevated: boolean): void {
    if (elevated) {
      this.logRefusal(req, 'CAPTCHA', { tokenId: result.credential.tokenId, userName: result.user.name });
      this.auditRefusal(req, 'CAPTCHA', { tokenId: result.credential.tokenId, userName: result.user.name });
      return this.deps.responses.send(req, res, 'CAPTCHA_REQUIRED', result.user, this.deps.loginManager.captchaChallengeHeaders());
    }
    const verdict = this.deps.guard.admit(req, res, result.credential, this.ip(req));
    if (verdict instanceof Promise) this.step(req, res, next, verdict, (v) => this.admitIfAllowed(req, res, next, result, v));
    else this.admitIfAllowed(req, res, next, result, verdict);
  }

  private admitIfAllowed(req: Request, res: Response, next: NextFunction, result: Verified, verdict: GuardVerdict): void {
    if (!verdict.allowed) {
      this.logRefusal(req, verdict.reason, { tokenId: result.credential.tokenId, userName: result.user.name });
      this.auditRefusal(req, verdict.reason, { tokenId: result.credential.tokenId, userName: result.user.name });
      return this.deps.responses.send(req, res, verdict.code, result.user);
    }
    if (this.failedUsers.delete(result.user.name)) {
      this.step(req, res, next, this.deps.loginManager.recordSuccessfulLogin(result.user.name), () => this.succeed(req, res, next, result));
    } else {
      this.succeed(req, res, next, result);
    }
  }

  private succeed(req: Request, res: Response, next: NextFunction, { credential, user }: Verified): void {
    this.deps.guard.accept(req, res, credential, user, this.ip(req));
    next();
  }

  /**
   * `then(value)` now for a plain value, or when a promise settles; a rejected promise is the
   * filter's error outcome (503 when the database is down).
   */
  private step<T>(req: Request, res: Response, next: NextFunction, value: MaybePromise<T>, then: (v: T) => void): void {
    if (value instanceof Promise) value.then(then, (err: unknown) => this.error(req, res, err)).catch(next);
    else then(value);
  }

  /** Runs `then` with the settings: at once when cached, else once they are loaded (503 if they cannot be). */
  private withSettings(req: Request, res: Response, next: NextFunction, then: (settings: Settings) => void): void {
    this.step(req, res, next, this.deps.settings.peek() ?? this.deps.settings.get(), then);
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

  private ip(req: Request): string {
    return req.clientIp ?? req.ip ?? req.socket.remoteAddress ?? 'unknown';
  }

  private path(req: Request): string {
    const url = req.originalUrl.split('?')[0];
    return this.deps.contextPath && url.startsWith(this.deps.contextPath) ? url.slice(this.deps.contextPath.length) : url;
  }
}

/** Hands the authenticator's verdict to a passport verify callback, synchronously when it is ready. */
function deliver(result: MaybePromise<AuthResult>, done: (err: unknown, user?: unknown) => void): void {
  if (result instanceof Promise) result.then((r) => done(null, r), done);
  else done(null, result);
}
