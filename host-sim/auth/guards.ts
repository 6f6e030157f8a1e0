// Permission guards for host resources and pages.
import type { Request } from 'express';
import type { HostRuntime } from '../impl/HostRuntime';
import type { HostUser } from '../spi';
import { forbidden, HttpError, notAuthenticated } from '../rest/HttpError';

/** The authenticated user, or a 401. */
export function requireUser(req: Request): HostUser {
  if (!req.principal) throw notAuthenticated();
  return req.principal.user;
}

/** A product admin or system admin, else 403 (401 when anonymous). */
export async function requireAdmin(runtime: Pick<HostRuntime, 'users'>, req: Request): Promise<HostUser> {
  const user = requireUser(req);
  if (!(await runtime.users.isAdmin(user.key))) throw forbidden();
  return user;
}

/** A system admin, else 403 (401 when anonymous). */
export async function requireSysAdmin(runtime: Pick<HostRuntime, 'users'>, req: Request): Promise<HostUser> {
  const user = requireUser(req);
  if (!(await runtime.users.isSystemAdmin(user.key))) throw forbidden();
  return user;
}

/**
 * Websudo for a host REST resource that is administration (UPM's, as Jira protects them): the
 * rule plugins get through the SPI's WebSudoManager — a cookie session only inside its live
 * window, which the call extends; the password or a token proves itself — else 401
 * WEBSUDO_REQUIRED. Call after the permission guard (an anonymous request is its 401).
 */
export function requireWebSudoWindow(runtime: Pick<HostRuntime, 'webSudoManager'>, req: Request): void {
  if (!runtime.webSudoManager.canExecuteRequest(req)) throw new HttpError('WEBSUDO_REQUIRED');
  runtime.webSudoManager.willExecuteWebSudoRequest(req);
}
