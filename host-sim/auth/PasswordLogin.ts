// Password checks with Seraph's failed-login counter and CAPTCHA state.
import type { HostRuntime } from '../impl/HostRuntime';
import type { HostUser } from '../spi';

export type PasswordLoginResult =
  | { readonly ok: true; readonly user: HostUser }
  | { readonly ok: false; readonly reason: 'CAPTCHA' | 'FAILED' };

/** How the credentials arrived: Basic/REST logins are refused in CAPTCHA state, a web login is not. */
export type LoginChannel = 'basic' | 'rest-session' | 'web';

export class PasswordLogin {
  /**
   * @param claimedPrefixes credential prefixes of plugin filters (e.g. `apitok_`): such a password
   *   is a plugin's credential, never a password, and never counts as a failed login (a script
   *   using its token while the plugin is disabled must not lock its user out).
   */
  constructor(private readonly runtime: Pick<HostRuntime, 'users' | 'loginManager'>, private readonly claimedPrefixes: readonly string[] = []) {}

  async authenticate(name: string, password: string, channel: LoginChannel): Promise<PasswordLoginResult> {
    if (this.claimedPrefixes.some((prefix) => password.startsWith(prefix))) return { ok: false, reason: 'FAILED' };
    const known = await this.runtime.users.getUserByName(name);
    if (!known) return { ok: false, reason: 'FAILED' };
    const { loginManager } = this.runtime;
    // A fresh read, not the per-node cache: failures on other nodes may not have reached this
    // node's cache yet, and guesses spread over N nodes must not buy more than the limit. It
    // costs ~0.1 ms next to the ~2 ms password hash, and refreshes the cache for the reset below.
    if (channel !== 'web' && (await loginManager.getLoginInfo(known.name)).elevatedSecurityCheckRequired) {
      return { ok: false, reason: 'CAPTCHA' };
    }
    const user = await this.runtime.users.checkPassword(known.name, password);
    if (!user) {
      await loginManager.recordFailedLogin(known.name);
      return { ok: false, reason: 'FAILED' };
    }
    if (!user.active) return { ok: false, reason: 'FAILED' };
    await loginManager.recordSuccessfulLogin(user.name);
    return { ok: true, user };
  }
}
