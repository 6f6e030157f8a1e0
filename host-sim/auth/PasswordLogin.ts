// Password checks with Seraph's failed-login counter and CAPTCHA state.
import type { HostRuntime } from '../impl/HostRuntime';
import type { HostUser } from '../spi';
import { WebLoginThrottle } from './WebLoginThrottle';

export type PasswordLoginResult =
  | { readonly ok: true; readonly user: HostUser }
  | { readonly ok: false; readonly reason: 'CAPTCHA' | 'FAILED' }
  | { readonly ok: false; readonly reason: 'THROTTLED'; readonly retryAfterSeconds: number };

const FAILED: PasswordLoginResult = Object.freeze({ ok: false, reason: 'FAILED' });

/** The password checks of one user that this node runs or is about to (REST and Basic channels). */
interface UserChecks {
  /** Attempts between their start and their answer. */
  attempts: number;
  /** Passwords being checked: each may still fail and count. */
  running: number;
  /** Checks ended so far: a counter read while one ended may miss its failure. */
  ended: number;
  readonly waiting: Array<() => void>;
}

export class PasswordLogin {
  private readonly checks = new Map<string, UserChecks>();
  private readonly webThrottle: WebLoginThrottle;

  /**
   * @param claimedPrefixes credential prefixes of plugin filters (e.g. `apitok_`): such a password
   *   is a plugin's credential, never a password, and never counts as a failed login (a script
   *   using its token while the plugin is disabled must not lock its user out).
   */
  constructor(private readonly runtime: Pick<HostRuntime, 'users' | 'loginManager' | 'config' | 'clock'>, private readonly claimedPrefixes: readonly string[] = []) {
    this.webThrottle = new WebLoginThrottle(runtime.clock);
  }

  /**
   * The login page's and the websudo form's check: not refused in CAPTCHA state (a web login is
   * what ends it), limited per client instead ({@link WebLoginThrottle}), and per session on the
   * websudo form (`sessionId`).
   */
  async authenticateWeb(name: string, password: string, clientIp: string, sessionId?: string): Promise<PasswordLoginResult> {
    const retryAfterSeconds = this.webThrottle.admit(clientIp, sessionId);
    if (retryAfterSeconds > 0) return { ok: false, reason: 'THROTTLED', retryAfterSeconds };
    const known = await this.userToCheck(name, password);
    const result = known ? await this.check(known.name, password) : FAILED;
    if (result.ok) this.webThrottle.succeeded(clientIp, sessionId);
    return result;
  }

  /** The check of Basic and the REST login: refused in CAPTCHA state ('CAPTCHA'), right password or not. */
  async authenticate(name: string, password: string): Promise<PasswordLoginResult> {
    const known = await this.userToCheck(name, password);
    if (!known) return FAILED;
    const key = known.name.toLowerCase();
    let checks = this.checks.get(key);
    if (!checks) this.checks.set(key, checks = { attempts: 0, running: 0, ended: 0, waiting: [] });
    checks.attempts++;
    try {
      for (;;) {
        const ended = checks.ended;
        // A fresh read, not the per-node cache: failures on other nodes may not have reached this
        // node's cache yet, and guesses spread over N nodes must not buy more than the limit. It
        // costs ~0.1 ms next to the ~2 ms password hash, and refreshes the cache for the reset below.
        const info = await this.runtime.loginManager.getLoginInfo(known.name);
        if (info.elevatedSecurityCheckRequired) return { ok: false, reason: 'CAPTCHA' };
        if (checks.ended !== ended) continue;
        // Checks under way may each fail and count: guesses sent at once all read a count below
        // the limit, and every one of them was checked (race review: 27 of 30 on PostgreSQL, the
        // right password last among them let in). So no more run than the limit leaves room for;
        // the others wait for one to end and read the count again.
        if (info.currentFailedLoginCount + checks.running < this.runtime.config.maxFailedLogins) break;
        await new Promise<void>((resolve) => { checks.waiting.push(resolve); });
      }
      checks.running++;
      try {
        return await this.check(known.name, password);
      } finally {
        checks.running--;
        checks.ended++;
        for (const wake of checks.waiting.splice(0)) wake();
      }
    } finally {
      if (--checks.attempts === 0) this.checks.delete(key);
    }
  }

  /** The user whose password to check, or null (the answer is then a failure, after as long). */
  private async userToCheck(name: string, password: string): Promise<HostUser | null> {
    if (this.claimedPrefixes.some((prefix) => password.startsWith(prefix))) return null;
    const known = await this.runtime.users.getUserByName(name);
    if (!known) {
      // The hash an existing user's wrong password costs (~6 ms), so that the time of the answer
      // does not tell which user names exist (review 22: 2 ms against 8 on the login page).
      await this.runtime.users.checkPassword(name, password);
      return null;
    }
    return known;
  }

  private async check(name: string, password: string): Promise<PasswordLoginResult> {
    const { loginManager } = this.runtime;
    const user = await this.runtime.users.checkPassword(name, password);
    if (!user) {
      await loginManager.recordFailedLogin(name);
      return FAILED;
    }
    if (!user.active) return FAILED;
    await loginManager.recordSuccessfulLogin(user.name);
    return { ok: true, user };
  }
}
