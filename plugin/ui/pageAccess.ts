import type { Request } from 'express';
import type { HostUser } from '../../host-sim/spi';
import type { UiDependencies, UserUiAccess } from './UiDependencies';

/** The servlet pages and who may open them. */
export type ServletPage = 'admin' | 'settings';

/** The Token Manager needs the on-behalf permission or system admin; the settings page system admin. */
export function mayOpen(page: ServletPage, access: UserUiAccess): boolean {
  if (page === 'settings') return access.isSystemAdmin;
  return access.isSystemAdmin || access.canCreateOnBehalf;
}

/** The user's locale for this request: an explicit Accept-Language wins, then the stored locale. */
export function localeFor(deps: UiDependencies, req: Request, user?: HostUser): string {
  const header = req.headers['accept-language'];
  return deps.i18n.resolveLocale(typeof header === 'string' ? header : undefined, user?.locale);
}

/**
 * The login URL that brings the user back here: `os_destination` is relative to the context
 * path, as Seraph expects it.
 */
export function loginRedirectUrl(deps: UiDependencies, req: Request): string {
  let destination = req.originalUrl || '/';
  if (deps.contextPath && destination.startsWith(`${deps.contextPath}/`)) {
    destination = destination.slice(deps.contextPath.length);
  }
  return `${deps.contextPath}/login.jsp?os_destination=${encodeURIComponent(destination)}`;
}
