// Opening a session's websudo window as a browser does, for tests of administrative calls made
// in a cookie session: the password re-entry page's form, with the session's XSRF token from it.
import { WEBSUDO_PATHS } from '../auth/webSudo';
import type { Product } from '../spi';
import type { RequestOptions, Response } from './http';

/** Sends a request below a node's base URL (e.g. `Host.request`, or a cluster node's). */
export type NodeRequest = (path: string, options?: RequestOptions) => Promise<Response>;

/**
 * Confirms `password` on the websudo page of the node `request` talks to, for the session of
 * `cookie` (`JSESSIONID=…`). The window lives in that node's memory, as Jira keeps it in the HTTP
 * session: behind a balancer, enter it on the node that serves the session's calls. Does nothing
 * while websudo is switched off; throws when the session or the password is refused.
 */
export async function enterWebSudo(request: NodeRequest, product: Product, cookie: string, password: string): Promise<void> {
  const { path, param } = WEBSUDO_PATHS[product];
  const form = await request(path, { cookie, headers: { Accept: 'text/html' } });
  // Websudo switched off: the page sends the browser straight on.
  if (form.status === 302 && !(form.headers.get('location') ?? '').includes('/login.jsp')) return;
  const atlToken = /name="atl_token" value="([^"]+)"/.exec(form.text)?.[1];
  if (form.status !== 200 || !atlToken) throw new Error(`websudo page answered ${form.status} (is the session logged in?)`);
  const body = new URLSearchParams({ webSudoPassword: password, atl_token: atlToken, [param]: '/' }).toString();
  const res = await request(path, { method: 'POST', cookie, headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' }, body });
  if (res.status !== 302) throw new Error(`websudo with that password failed with ${res.status}`);
}
