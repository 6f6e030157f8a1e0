import type { Request, RequestHandler } from 'express';
import type { Logger, WebSudoManager } from '../../host-sim/spi';
import type { Token } from '../ao/Token';
import { ApiError } from '../errors/ApiError';
import type { Actor } from '../service/Actor';
import { RANK_ADMIN, type PermissionService } from '../service/PermissionService';
import { redactTokensInPath, STRING_ID_REGEX } from '../token/TokenFormat';
import type { RouteAccess } from './AdminRoutes';
import { actorOf } from './RestSupport';

/** The header of a WEBSUDO_REQUIRED answer, by which the pages tell it from an ended session. */
export const WEBSUDO_HEADER = 'X-ApiTokenAuth-WebSudo';

export interface WebSudoGateDeps {
  readonly webSudo: WebSudoManager;
  readonly permissions: PermissionService;
  /** Reads the token a `:id` route names (its owner, whether it is a sudo token). */
  readonly tokenById: (id: number) => Promise<Token | null>;
  /** Reads the token an `asp_` `:id` names (`/rest/api-tokens`). */
  readonly tokenByStringId: (stringId: string) => Promise<Token | null>;
  /** The tokens a user owns (whether one of them is a sudo token). */
  readonly tokensOf: (userKey: string) => Promise<readonly Token[]>;
  readonly logger: Logger;
}

/**
 * SAL's two calls as one step: whether the request may run a websudo-protected action (a cookie
 * session inside its window, or a password or token request) and, when it may, the window
 * extended. False: answer 401 WEBSUDO_REQUIRED with {@link WEBSUDO_HEADER}, and change nothing.
 */
export function admitWebSudo(webSudo: WebSudoManager, req: Request): boolean {
  if (!webSudo.canExecuteRequest(req)) return false;
  webSudo.willExecuteWebSudoRequest(req);
  return true;
}

/** A path id as the resources accept it (RestSupport.idParam); anything else names no token. */
const TOKEN_ID = /^[1-9][0-9]{0,14}$/;

/**
 * Websudo for the token APIs, Jira's `@WebSudoRequired`, in front of every route (gatedRoutes): a call
 * that is administrative (AdminRoutes) made by an administrator (Jira's ADMINISTER or
 * SYSTEM_ADMIN rank) runs only when the host's WebSudoManager lets the request run a protected
 * action — a cookie session inside its websudo window, or any request carrying a password or a
 * token — and then extends the window. Otherwise 401 WEBSUDO_REQUIRED before any resource runs,
 * so nothing changes. A caller without the permission the call needs is let through to the
 * resource's own 403 (no password would help), and an id that names no token they may manage to
 * its 404 (ids do not leak).
 */
export class WebSudoGate {
  constructor(private readonly d: WebSudoGateDeps) {}

  /**
   * The gate of one route (registered by gatedRoutes, so after the body parser and with express's
   * decoded `req.params`): nothing to check for public and own routes, nor for an anonymous
   * request (the resource answers 401).
   */
  forRoute(access: RouteAccess): RequestHandler {
    if (access === 'public' || access === 'own') return (_req, _res, next) => next();
    return (req, _res, next) => {
      if (!req.principal) return next();
      this.isAdministrative(access, req).then((administrative) => {
        if (!administrative) return next();
        if (admitWebSudo(this.d.webSudo, req)) return next();
        this.d.logger.info('Administrative call refused: the session has no websudo window', {
          method: req.method, path: redactTokensInPath(req.baseUrl + req.path), userKey: req.principal?.user.key,
        });
        next(new ApiError('WEBSUDO_REQUIRED', [], {}, { [WEBSUDO_HEADER]: 'required' }));
      }, next);
    };
  }

  private async isAdministrative(access: Exclude<RouteAccess, 'public' | 'own'>, req: Request): Promise<boolean> {
    const actor = actorOf(req);
    if ((await this.d.permissions.rankOf(actor.user.key)) < RANK_ADMIN) return false;
    switch (access) {
      case 'systemAdmin':
        return this.d.permissions.isSystemAdmin(actor.user.key);
      case 'onBehalf':
        return this.d.permissions.mayManageOthers(actor.user.key);
      case 'createToken':
        return this.createIsAdministrative(actor, req.body);
      case 'tokenById':
        return this.tokenIsAdministrative(actor, req.params.id);
      case 'ownTokenByStringId':
        return this.ownSudoToken(actor, req.params.id);
      case 'allOwnTokens':
        return (await this.d.tokensOf(actor.user.key)).some((t) => t.sudo);
    }
  }

  /** The caller's own sudo token, named by its `asp_` id (anything else is the resource's: 404 or an own token). */
  private async ownSudoToken(actor: Actor, id: unknown): Promise<boolean> {
    if (typeof id !== 'string' || !STRING_ID_REGEX.test(id)) return false;
    const token = await this.d.tokenByStringId(id);
    return token !== null && isOwnSudoToken(actor, token);
  }

  /** Another owner, a user-less or a sudo token; any value but "no" counts (the resource refuses a wrong one). */
  private async createIsAdministrative(actor: Actor, body: unknown): Promise<boolean> {
    if (typeof body !== 'object' || body === null) return false;
    const { tokenForUserKey, userless, sudo } = body as Record<string, unknown>;
    if ((userless !== undefined && userless !== false) || (sudo !== undefined && sudo !== false)) return this.d.permissions.isSystemAdmin(actor.user.key);
    if (tokenForUserKey !== undefined && tokenForUserKey !== actor.user.key) return this.d.permissions.mayManageOthers(actor.user.key);
    return false;
  }

  /**
   * The caller's own sudo token (its secret runs as other users), and for whoever may manage
   * others' tokens every id that is not one of their own tokens — another owner's in reach or out
   * of it, a user-less one, or none at all — so that a session without its window cannot tell an
   * existing token from a missing one by 401 against 404 (disclosure review, 2026-12-04). Once
   * admitted, the resource answers 404 for every id the caller may not manage.
   */
  private async tokenIsAdministrative(actor: Actor, id: unknown): Promise<boolean> {
    if (typeof id !== 'string' || !TOKEN_ID.test(id)) return false;
    const token = await this.d.tokenById(Number(id));
    if (token !== null && token.userKey === actor.user.key) return token.sudo;
    return this.d.permissions.mayManageOthers(actor.user.key);
  }
}

/** The one rule both token APIs share: deleting, editing or regenerating one's own sudo token is administrative. */
function isOwnSudoToken(actor: Actor, token: Token): boolean {
  return token.sudo && token.userKey === actor.user.key;
}
