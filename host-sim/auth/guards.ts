// Permission guards for host resources and pages.
import type { Request } from 'express';
import type { HostRuntime } from '../impl/HostRuntime';
import type { HostUser } from '../spi';
import { forbidden, notAuthenticated } from '../rest/HttpError';

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
