// Seraph's failed-login counter, shared by every node: atomic counter updates in
// HOST_LOGIN_INFO, a per-node cache invalidated over the cluster channel. A node's cache decides
// two things: whether the CAPTCHA state holds, and whether a success has a count to reset. So a
// failure is announced while the count is below the limit, and the first time this node sees it
// at or above the limit; failures beyond (the login page keeps checking passwords in CAPTCHA
// state) change no node's decisions, and one message each would let an anonymous flood of wrong
// page logins fill the change log that every node must read to stay current.
import type { ClusterMessagingService } from '../../spi/ClusterMessagingService';
import type { Clock } from '../../spi/Clock';
import type { LoginInfo, LoginManager } from '../../spi/LoginManager';
import type { Database } from '../db/Database';

const CHANNEL = 'host.login-info';
const MAX_CACHED = 20_000;

interface LoginRow {
  CURRENT_FAILED_COUNT: number;
  TOTAL_FAILED_COUNT: number;
  LAST_FAILED_TIME: number | null;
}

export class DefaultLoginManager implements LoginManager {
  private readonly cache = new Map<string, LoginInfo>();
  /** Users this node announced at or above the limit since it last heard of them from another node. */
  private readonly announcedAtLimit = new Set<string>();
  // Bumped on every invalidation, so a read that raced with one is not cached.
  private generation = 0;
  private readonly unregister: () => void;
  private readonly unregisterResync: () => void;

  constructor(
    private readonly db: Database,
    private readonly messaging: ClusterMessagingService,
    private readonly clock: Clock,
    private readonly maxFailedLogins: number,
    private readonly baseUrl: string,
  ) {
    this.unregister = messaging.registerListener(CHANNEL, (message) => {
      if (message.fromNode !== messaging.nodeId) {
        this.invalidate(message.payload);
        // Perhaps a reset: the next failure at the limit is news again.
        this.announcedAtLimit.delete(message.payload);
      }
    });
    this.unregisterResync = messaging.registerResyncListener(() => {
      this.generation++;
      this.cache.clear();
      this.announcedAtLimit.clear();
    });
  }

  async getLoginInfo(userName: string): Promise<LoginInfo> {
    const name = userName.toLowerCase();
    const generation = this.generation;
    const rows = await this.db.query<LoginRow>(
      'SELECT CURRENT_FAILED_COUNT, TOTAL_FAILED_COUNT, LAST_FAILED_TIME FROM HOST_LOGIN_INFO WHERE LOWER_USER_NAME = ?', [name]);
    const info = this.toInfo(rows[0]);
    if (generation === this.generation) this.remember(name, info);
    return info;
  }

  async isElevatedSecurityCheckRequired(userName: string): Promise<boolean> {
    return this.peekElevatedSecurityCheckRequired(userName) ?? (await this.getLoginInfo(userName)).elevatedSecurityCheckRequired;
  }

  peekElevatedSecurityCheckRequired(userName: string): boolean | undefined {
    return this.cache.get(userName.toLowerCase())?.elevatedSecurityCheckRequired;
  }

  async recordFailedLogin(userName: string): Promise<LoginInfo> {
    const name = userName.toLowerCase();
    const now = this.clock.now();
    // SQLite and PostgreSQL: ON CONFLICT; the existing row's values are qualified by the table
    // name (PostgreSQL finds a bare name ambiguous between the row and `excluded`).
    const sql = this.db.dialect !== 'mysql'
      ? 'INSERT INTO HOST_LOGIN_INFO (LOWER_USER_NAME, CURRENT_FAILED_COUNT, TOTAL_FAILED_COUNT, LAST_FAILED_TIME) VALUES (?, 1, 1, ?) '
        + 'ON CONFLICT (LOWER_USER_NAME) DO UPDATE SET CURRENT_FAILED_COUNT = HOST_LOGIN_INFO.CURRENT_FAILED_COUNT + 1, '
        + 'TOTAL_FAILED_COUNT = HOST_LOGIN_INFO.TOTAL_FAILED_COUNT + 1, LAST_FAILED_TIME = excluded.LAST_FAILED_TIME'
      : 'INSERT INTO HOST_LOGIN_INFO (LOWER_USER_NAME, CURRENT_FAILED_COUNT, TOTAL_FAILED_COUNT, LAST_FAILED_TIME) VALUES (?, 1, 1, ?) '
        + 'ON DUPLICATE KEY UPDATE CURRENT_FAILED_COUNT = CURRENT_FAILED_COUNT + 1, '
        + 'TOTAL_FAILED_COUNT = TOTAL_FAILED_COUNT + 1, LAST_FAILED_TIME = VALUES(LAST_FAILED_TIME)';
    await this.db.execute(sql, [name, now]);
    this.invalidate(name);
    let info: LoginInfo;
    try {
      info = await this.getLoginInfo(name);
    } catch (err) {
      await this.messaging.send(CHANNEL, name); // the count changed: when in doubt, it is news
      throw err;
    }
    if (this.isNews(name, info)) await this.messaging.send(CHANNEL, name);
    return info;
  }

  async recordSuccessfulLogin(userName: string): Promise<void> {
    const name = userName.toLowerCase();
    const cached = this.cache.get(name);
    // The cache is coherent, so a user with no failures costs no write per login.
    if (cached && cached.currentFailedLoginCount === 0) return;
    await this.reset(name, true);
  }

  async resetFailedLoginCount(userName: string): Promise<void> {
    await this.reset(userName.toLowerCase(), false);
  }

  captchaChallengeHeaders(): Readonly<Record<string, string>> {
    return {
      'X-Seraph-LoginReason': 'AUTHENTICATION_DENIED',
      'X-Authentication-Denied-Reason': `CAPTCHA_CHALLENGE; login-url=${this.baseUrl}/login.jsp`,
    };
  }

  close(): void {
    this.unregister();
    this.unregisterResync();
  }

  private async reset(name: string, success: boolean): Promise<void> {
    const res = success
      ? await this.db.execute('UPDATE HOST_LOGIN_INFO SET CURRENT_FAILED_COUNT = 0, LAST_SUCCESS_TIME = ? WHERE LOWER_USER_NAME = ?', [this.clock.now(), name])
      : await this.db.execute('UPDATE HOST_LOGIN_INFO SET CURRENT_FAILED_COUNT = 0 WHERE LOWER_USER_NAME = ?', [name]);
    this.invalidate(name);
    this.announcedAtLimit.delete(name);
    if (res.affected > 0) await this.messaging.send(CHANNEL, name);
    await this.getLoginInfo(name);
  }

  /** Whether other nodes must drop what they cached for this user after a failure (see the file comment). */
  private isNews(name: string, info: LoginInfo): boolean {
    if (info.currentFailedLoginCount < this.maxFailedLogins) return true;
    if (this.announcedAtLimit.has(name)) return false;
    if (this.announcedAtLimit.size >= MAX_CACHED) this.announcedAtLimit.clear(); // forgetting only sends more
    this.announcedAtLimit.add(name);
    return true;
  }

  private toInfo(row: LoginRow | undefined): LoginInfo {
    const current = row ? Number(row.CURRENT_FAILED_COUNT) : 0;
    return {
      currentFailedLoginCount: current,
      totalFailedLoginCount: row ? Number(row.TOTAL_FAILED_COUNT) : 0,
      lastFailedLoginTime: row && row.LAST_FAILED_TIME !== null ? Number(row.LAST_FAILED_TIME) : null,
      elevatedSecurityCheckRequired: current >= this.maxFailedLogins,
    };
  }

  private invalidate(name: string): void {
    this.generation++;
    this.cache.delete(name);
  }

  private remember(name: string, info: LoginInfo): void {
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(name, info);
  }
}
