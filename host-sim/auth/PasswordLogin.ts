// Password checks with Seraph's failed-login counter and CAPTCHA state.
import type { HostRuntime } from '../impl/HostRuntime';
import type { HostUser } from '../spi';

export type PasswordLoginResult =
  | { readonly ok: true; readonly user: HostUser }
  | { readonly ok: false; readonly reason: 'CAPTCHA' | 'FAILED' };

/** How the credentials arrived: Basic/REST logins are refused in CAPTCHA state, a web login is not. */
export type LoginChannel = 'basic' | 'rest-session' | 'web';

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

  /**
   * @param claimedPrefixes credential prefixes of plugin filters (e.g. `apitok_`): such a password
   *   is a plugin's credential, never a password, and never counts as a failed login (a script
   *   using its token while the plugin is disabled must not lock its user out).
   */
  constructor(private readonly runtime: Pick<HostRuntime, 'users' | 'loginManager' | 'config'>, private readonly claimedPrefixes: readonly string[] = []) {}

  async authenticate(name: string, password: string, channel: LoginChannel): Promise<PasswordLoginResult> {
    if (this.claimedPrefixes.some((prefix) => password.startsWith(prefix))) return { ok: false, reason: 'FAILED' };
    const known = await this.runtime.users.getUserByName(name);
    if (!known) {
      // The hash an existing user's wrong password costs (~6 ms), so that the time of the answer
      // does not tell which user names exist (review 22: 2 ms against 8 on the login page).
      await this.runtime.users.checkPassword(name, password);
      return { ok: false, reason: 'FAILED' };
    }
    if (channel === 'web') return this.check(known.name, password);
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

  private async check(name: string, password: string): Promise<PasswordLoginResult> {
    const { loginManager } = this.runtime;
    const user = await this.runtime.users.checkPassword(name, password);
    if (!user) {
      await loginManager.recordFailedLogin(name);
      return { ok: false, reason: 'FAILED' };
    }
    if (!user.active) return { ok: false, reason: 'FAILED' };
    await loginManager.recordSuccessfulLogin(user.name);
    return { ok: true, user };
  }
}
