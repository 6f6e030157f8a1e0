import type { HostUser, Product } from '../../host-sim/spi';
import { SERVLET_URL_PATTERN } from './servletPaths';
import type { UiDependencies, UserUiAccess } from './UiDependencies';
import { uiStringsFor } from './uiStrings';

/** Which page script runs. */
export type UiPageKind = 'profile' | 'admin' | 'settings';

/** What the page scripts receive inline (as JSON) from the server. */
export interface UiPageConfig {
  readonly page: UiPageKind;
  readonly locale: string;
  /** e.g. `/jira/rest/de.resolution.apitokenauth/latest` (relative to the host, cookie-authenticated). */
  readonly restBase: string;
  /** e.g. `/jira/rest/api-tokens/latest` (the second API, for "delete all my tokens"). */
  readonly apiTokensRestBase: string;
  /** e.g. `/jira/plugins/servlet/de.resolution.apitokenauth` (user picker, static files). */
  readonly servletBase: string;
  /** Absolute base URL, used in code snippets. */
  readonly baseUrl: string;
  readonly product: Product;
  readonly user: { readonly key: string; readonly name: string; readonly displayName: string; readonly timeZone: string };
  readonly access: UserUiAccess;
  readonly strings: Readonly<Record<string, string>>;
  /** The host's clock when the page was rendered (relative times and "expires soon" follow it). */
  readonly serverTime: number;
  /**
   * The host's password page (websudo), returning to this page (the profile panel: to the
   * product's page that shows it), for an administrative call refused with WEBSUDO_REQUIRED —
   * on the profile, deleting one's own sudo token. Null when the host offers no websudo.
   */
  readonly webSudoUrl: string | null;
}

/** The product, from the dependencies or else from the context path. */
export function productOf(deps: UiDependencies): Product {
  if (deps.product) return deps.product;
  return /confluence/i.test(deps.contextPath) ? 'confluence' : 'jira';
}

/** Where the token panel is: Jira's profile page, Confluence's profile Settings tab. */
export function profilePathOf(deps: UiDependencies): string {
  return productOf(deps) === 'confluence' ? '/users/viewmysettings.action' : '/secure/ViewProfile.jspa';
}

export function servletBaseOf(deps: UiDependencies): string {
  return `${deps.contextPath}/plugins/servlet/${SERVLET_URL_PATTERN}`;
}

/** Builds the inline configuration for a page script. */
export function buildPageConfig(
  deps: UiDependencies, page: UiPageKind, user: HostUser, locale: string, access: UserUiAccess,
): UiPageConfig {
  return {
    page,
    locale,
    restBase: `${deps.contextPath}/rest/${deps.pluginKey}/latest`,
    apiTokensRestBase: `${deps.contextPath}/rest/api-tokens/latest`,
    servletBase: servletBaseOf(deps),
    baseUrl: deps.baseUrl,
    product: productOf(deps),
    user: { key: user.key, name: user.name, displayName: user.displayName, timeZone: user.timeZone || 'UTC' },
    access,
    strings: uiStringsFor(deps.i18n, locale),
    serverTime: deps.clock?.now() ?? Date.now(),
    webSudoUrl: deps.webSudo ? deps.webSudo.passwordPageUrl(page === 'profile' ? profilePathOf(deps) : `/plugins/servlet/${SERVLET_URL_PATTERN}/${page}`) : null,
  };
}
