import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isServiceUnavailable, readAuthorization, type Logger } from '../../host-sim/spi';
import { refuse, type AuthVerdict } from '../service/auth/AuthVerdict';
import type { TokenRequestAuthentication } from '../service/auth/TokenRequestAuthentication';
import type { PresentedCredential } from '../service/auth/TokenRequestView';
import { redactTokensInPath, TOKEN_PREFIX } from '../token/TokenFormat';
import { ExpressRequestView } from './ExpressRequestView';
import { FirstColonBasicStrategy } from './FirstColonBasicStrategy';
import type { FilterResponses } from './FilterResponses';
import { HeaderBearerStrategy } from './HeaderBearerStrategy';
import { StrategyRunner } from './StrategyRunner';

/**
 * The `token-auth-filter` servlet filter (before login, on every URL): a thin adapter between
 * express and {@link TokenRequestAuthentication}. passport's strategies read the credential
 * (Basic split at the first colon, Bearer from the header), the service decides, the filter
 * answers: `pass` → the host authenticates; `admit` → the request runs as the principal, no
 * session; `refuse` → the code's status and one generic message. Synchronous from header to
 * `next()` while the service needs nothing read.
 */
export class TokenAuthFilter {
  private readonly basic: StrategyRunner;
  private readonly bearer: StrategyRunner;
  private closed = false;

  constructor(private readonly auth: TokenRequestAuthentication, private readonly responses: FilterResponses,
    private readonly logger: Logger, private readonly contextPath: string, realm: string) {
    // Anything starting with the token prefix is a token to us: it must never reach the host's
    // password check, where a wrong one would count as a failed login.
    this.basic = new StrategyRunner(new FirstColonBasicStrategy(realm, (_req, userName, password, done) => done(null, password.startsWith(TOKEN_PREFIX)
      ? { kind: 'token', scheme: 'basic', token: password, claimedUser: userName }
      : { kind: 'password', userName })));
    this.bearer = new StrategyRunner(new HeaderBearerStrategy(realm, (_req, token, done) => done(null, { kind: 'token', scheme: 'bearer', token, claimedUser: null })));
  }

  middleware(): RequestHandler {
    return (req, res, next) => this.handle(req, res, next);
  }

  /**
   * The plugin is being disabled: a request still being decided (its body arriving, a read under
   * way) is refused when its verdict comes, as every later request is by the host: disabling the
   * plugin is the administrators' switch that stops all tokens at once.
   */
  close(): void {
    this.closed = true;
  }

  private handle(req: Request, res: Response, next: NextFunction): void {
    if (req.principal) return next();
    // Read as the host's login reads it (one reading, spi/authorization.ts): whatever the login
    // would take for a Basic header is a Basic header here, so no password gets past the rules.
    const authorization = readAuthorization(req.headers.authorization);
    if (authorization === null || authorization.scheme === 'other') return next();
    const scheme = authorization.scheme;
    (scheme === 'basic' ? this.basic : this.bearer).run(req, authorization, (outcome) => {
      if (outcome.kind === 'error') return this.error(req, res, outcome.error);
      // A Basic header the strategy cannot read is the host's to refuse; a Bearer one is ours.
      if (outcome.kind !== 'success' && scheme === 'basic') return next();
      const presented: PresentedCredential = outcome.kind === 'success' ? outcome.user as PresentedCredential : { kind: 'malformed', scheme: 'bearer' };
      const view = new ExpressRequestView(req, res, this.contextPath);
      const verdict = this.auth.authenticate(view, presented);
      if (verdict instanceof Promise) verdict.then((v) => this.apply(req, res, next, view, v), (err: unknown) => this.error(req, res, err)).catch(next);
      else this.apply(req, res, next, view, verdict);
    });
  }

  private apply(req: Request, res: Response, next: NextFunction, view: ExpressRequestView, decided: AuthVerdict): void {
    const verdict = this.closed && decided.kind === 'admit' ? pluginDisabled(decided) : decided;
    if (verdict.kind === 'pass') return next();
    if (verdict.kind === 'admit') {
      req.principal = verdict.principal;
      this.auth.accepted(verdict, view, res);
      // A body read here that did not parse is answered as the host's parser would answer it.
      return next(view.bodyError());
    }
    this.auth.refused(verdict, view);
    this.responses.refuse(req, res, verdict);
  }

  private error(req: Request, res: Response, err: unknown): void {
    const path = redactTokensInPath(req.path);
    if (isServiceUnavailable(err)) {
      this.logger.error('Token authentication impossible: database unavailable', { path });
      return this.responses.send(req, res, 'DATABASE_UNAVAILABLE', null, { 'Retry-After': '5' });
    }
    this.logger.error('Token authentication failed unexpectedly', { path, error: err instanceof Error ? err.message : String(err) });
    this.responses.send(req, res, 'INTERNAL_ERROR');
  }
}

/** The refusal of a token admitted after the plugin was disabled. */
function pluginDisabled(admitted: Extract<AuthVerdict, { kind: 'admit' }>): AuthVerdict {
  return refuse('PLUGIN_DISABLED', 'TOKEN_AUTH_FAILED', { tokenId: admitted.credential.tokenId, userName: admitted.principal.user.name }, { user: admitted.owner });
}
