// Jira's "websudo" (Confluence: secure administrator sessions): administration pages need the
// password entered within the last 10 minutes of administrative activity. The state lives in
// this node's memory per session, as Jira keeps it in the HTTP session; the websudo form starts
// it, every admin page visit extends it. Plugins protect their own administrative REST resources
// through the SPI's WebSudoManager (DefaultWebSudoManager), on the same windows.
import type { Request } from 'express';
import type { Clock, Product } from '../spi';

/** Jira's default: 10 minutes without an administration page ends the websudo session. */
export const WEBSUDO_IDLE_MS = 10 * 60_000;
/** Above this many entries, expired ones are dropped when a new one is added. */
const PRUNE_ABOVE = 10_000;

/** The password re-entry page and the name of its destination parameter, as the products have them. */
export const WEBSUDO_PATHS: Record<Product, { readonly path: string; readonly param: string }> = {
  jira: { path: '/secure/admin/WebSudoAuthenticate.jspa', param: 'webSudoDestination' },
  confluence: { path: '/authenticate.action', param: 'destination' },
};

/** System properties that switch websudo off (Jira's own name, and the host's). */
export const WEBSUDO_DISABLED_PROPERTIES = ['jira.websudo.is.disabled', 'hostsim.websudo.disabled'] as const;

export class WebSudoSessions {
  private readonly lastActive = new Map<string, number>();

  constructor(private readonly clock: Clock, readonly enabled: boolean, private readonly idleMs = WEBSUDO_IDLE_MS) {}

  /** True while the session has a live websudo window (always true when websudo is off). */
  isActive(sessionId: string | undefined): boolean {
    if (!this.enabled) return true;
    if (!sessionId) return false;
    const at = this.lastActive.get(sessionId);
    if (at === undefined) return false;
    if (!within(this.clock.now(), at, this.idleMs)) {
      this.lastActive.delete(sessionId);
      return false;
    }
    return true;
  }

  /** Extends a live window (an administration page was shown). */
  touch(sessionId: string): void {
    if (this.isActive(sessionId) && this.enabled) this.lastActive.set(sessionId, this.clock.now());
  }

  /** Starts a window: the password was just entered for this session. */
  grant(sessionId: string): void {
    if (!this.enabled) return;
    if (this.lastActive.size > PRUNE_ABOVE) this.prune();
    this.lastActive.set(sessionId, this.clock.now());
  }

  /** Ends the window (logout, or the "drop administrator access" link). */
  drop(sessionId: string): void {
    this.lastActive.delete(sessionId);
  }

  private prune(): void {
    const now = this.clock.now();
    for (const [id, at] of this.lastActive) if (!within(now, at, this.idleMs)) this.lastActive.delete(id);
  }
}

/**
 * Whether a window last active at `at` is still open at `now`. A last activity after now (the
 * host clock was moved back past it) ends the window: how long it has been idle can no longer be
 * told, and counting from the future would keep it open for as long as the clock was moved back.
 */
function within(now: number, at: number, idleMs: number): boolean {
  return now >= at && now - at <= idleMs;
}

export function webSudoEnabled(systemProperties: Readonly<Record<string, string>>): boolean {
  return !WEBSUDO_DISABLED_PROPERTIES.some((name) => /^true$/i.test((systemProperties[name] ?? '').trim()));
}

/**
 * Whether this request may show an administration page now: requests that carry the password
 * (Basic) need no websudo; cookie sessions need a live window.
 */
export function passesWebSudo(req: Request, sessionId: string | undefined, sessions: WebSudoSessions): boolean {
  if (!sessions.enabled) return true;
  if (req.principal?.method === 'password') return true;
  return req.principal?.method === 'session' && sessions.isActive(sessionId);
}
