import type { Request } from 'express';

/**
 * Websudo — Jira's "secure administrator session", Confluence's "secure administrator access" —
 * as SAL's `com.atlassian.sal.api.websudo.WebSudoManager` offers it to plugins: a browser session
 * must have entered the user's password again within the last 10 minutes of administrative
 * activity before it may run an administrative action. Administration pages of the host and
 * `atl.admin`-decorated plugin pages are protected by the host itself; a plugin asks this
 * service to protect its own administrative REST resources (Jira's `@WebSudoRequired`).
 *
 * The window belongs to the host's cookie session, is kept per node in memory (as Jira keeps it
 * in the HTTP session), opens on the host's password re-entry page and ends after 10 idle
 * minutes, on logout and on a new login. The system property `jira.websudo.is.disabled=true`
 * (or `hostsim.websudo.disabled=true`) switches websudo off.
 */
export interface WebSudoManager {
  /**
   * SAL's `canExecuteRequest`: may this request run a websudo-protected action now? True while
   * websudo is switched off, and for requests that are not made in a browser session — the
   * password sent with the request (Basic) or an API token; a cookie session only while its
   * window is live; an anonymous request never.
   */
  canExecuteRequest(req: Request): boolean;

  /**
   * SAL's `willExecuteWebSudoRequest`: the request runs a websudo-protected action now, so a
   * cookie session's live window starts its 10 idle minutes again, as showing an administration
   * page does. It opens no window (an ended one stays ended) and does nothing for other requests.
   */
  willExecuteWebSudoRequest(req: Request): void;

  /**
   * Where a browser enters the password again (SAL's `enforceWebSudoProtection` redirects
   * there): the host's page, context path included, e.g.
   * `/jira/secure/admin/WebSudoAuthenticate.jspa?webSudoDestination=%2Fplugins%2F…`. After the
   * password it returns to `destination`, a path below the context path starting with `/`
   * (anything else — another host, `//`, a backslash — sends it to the administration page).
   */
  passwordPageUrl(destination: string): string;
}
