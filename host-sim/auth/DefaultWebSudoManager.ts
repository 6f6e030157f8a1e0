// The SPI's WebSudoManager on the host's own websudo windows (WebSudoSessions): a plugin's
// administrative REST call and the host's administration pages ask, open and extend the same
// window of the same cookie session.
import type { Request } from 'express';
import type { Product, WebSudoManager } from '../spi';
import { currentSessionId } from './SeraphLogin';
import { WEBSUDO_PATHS, type WebSudoSessions } from './webSudo';

export class DefaultWebSudoManager implements WebSudoManager {
  constructor(private readonly sessions: WebSudoSessions, private readonly contextPath: string, private readonly product: Product) {}

  canExecuteRequest(req: Request): boolean {
    if (!this.sessions.enabled) return true;
    const method = req.principal?.method;
    // Websudo guards browser sessions: a request carrying the password or a token proves itself.
    if (method === 'password' || method === 'api-token') return true;
    return method === 'session' && this.sessions.isActive(sessionOfRequest(req));
  }

  willExecuteWebSudoRequest(req: Request): void {
    if (req.principal?.method !== 'session') return;
    const sessionId = sessionOfRequest(req);
    if (sessionId) this.sessions.touch(sessionId);
  }

  passwordPageUrl(destination: string): string {
    const { path, param } = WEBSUDO_PATHS[this.product];
    return `${this.contextPath}${path}?${param}=${encodeURIComponent(destination)}`;
  }
}

/** The session the login filter signed the request in with (never a second reading of the cookies). */
function sessionOfRequest(req: Request): string | undefined {
  return req.res ? currentSessionId(req.res) : undefined;
}
