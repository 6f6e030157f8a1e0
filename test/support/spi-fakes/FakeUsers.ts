// In-memory UserManager, PermissionManager and LoginManager for unit tests.
import type {
  GlobalPermission, HostUser, LoginInfo, LoginManager, PermissionManager, UserManager,
} from '../../../host-sim/spi';
import { ServiceUnavailableError } from '../../../host-sim/spi';

export interface FakeUserInput {
  readonly name: string;
  readonly key?: string;
  readonly email?: string;
  readonly active?: boolean;
  readonly locale?: string;
  readonly timeZone?: string;
  readonly groups?: readonly string[];
  readonly password?: string;
  readonly sysadmin?: boolean;
  /** A product admin (ADMINISTER, not SYSTEM_ADMIN): member of {@link FAKE_ADMIN_GROUP}. */
  readonly admin?: boolean;
}

interface StoredFakeUser { user: HostUser; groups: Set<string>; password: string }

export const FAKE_SYSADMIN_GROUP = 'jira-administrators';
export const FAKE_ADMIN_GROUP = 'jira-admins';
export const FAKE_USERS_GROUP = 'jira-software-users';

export class FakeUserManager implements UserManager {
  private readonly byKey = new Map<string, StoredFakeUser>();
  /** Lower-case names of every group: the admin groups, those of users, and {@link addGroup}. */
  private readonly groupNames = new Set([FAKE_SYSADMIN_GROUP, FAKE_ADMIN_GROUP, FAKE_USERS_GROUP]);
  private nextKey = 10100;
  available = true;
  /** When false, {@link peekUserByKey} answers "not cached", so callers take their asynchronous path. */
  cached = true;
  calls = 0;

  addUser(input: FakeUserInput): HostUser {
    const key = input.key ?? `JIRAUSER${this.nextKey++}`;
    const user: HostUser = Object.freeze({
      key, name: input.name, displayName: input.name, email: input.email ?? `${input.name}@example.com`,
      active: input.active ?? true, locale: input.locale ?? 'en_US', timeZone: input.timeZone ?? 'UTC',
    });
    const groups = new Set(input.groups ?? []);
    if (input.sysadmin) groups.add(FAKE_SYSADMIN_GROUP);
    if (input.admin) groups.add(FAKE_ADMIN_GROUP);
    for (const group of groups) this.addGroup(group);
    this.byKey.set(key, { user, groups, password: input.password ?? 'secret' });
    return user;
  }

  setActive(name: string, active: boolean): void {
    const s = this.find(name);
    if (s) s.user = Object.freeze({ ...s.user, active });
  }

  deleteUser(name: string): void {
    const s = this.find(name);
    if (s) this.byKey.delete(s.user.key);
  }

  addToGroup(name: string, group: string): void {
    this.find(name)?.groups.add(group);
    this.addGroup(group);
  }

  /** Makes a group known (without members). */
  addGroup(group: string): void {
    this.groupNames.add(group.toLowerCase());
  }

  /** Whether a group of this name (case-insensitive) is known. */
  hasGroup(group: string): boolean {
    return this.groupNames.has(group.toLowerCase());
  }

  /** Keys of every user in any of `groups`, sorted. */
  keysInGroups(groups: readonly string[]): string[] {
    return [...this.byKey.values()].filter((s) => groups.some((g) => s.groups.has(g))).map((s) => s.user.key).sort();
  }

  groupsOf(key: string): Set<string> {
    return this.byKey.get(key)?.groups ?? new Set();
  }

  private find(name: string): StoredFakeUser | undefined {
    for (const s of this.byKey.values()) if (s.user.name.toLowerCase() === name.toLowerCase()) return s;
    return undefined;
  }

  private check(): void {
    this.calls++;
    if (!this.available) throw new ServiceUnavailableError();
  }

  async getUserByName(name: string) { this.check(); return this.find(name)?.user ?? null; }
  async getUserByKey(key: string) { this.check(); return this.byKey.get(key)?.user ?? null; }
  peekUserByKey(key: string) { return this.cached && this.available ? this.byKey.get(key)?.user ?? null : undefined; }
  async findUsersByEmail(email: string) {
    this.check();
    return [...this.byKey.values()].filter((s) => s.user.email.toLowerCase() === email.toLowerCase()).map((s) => s.user);
  }
  async searchUsers(query: string, limit: number) {
    this.check();
    const q = query.toLowerCase();
    return [...this.byKey.values()].map((s) => s.user).filter((u) => u.name.toLowerCase().includes(q)).slice(0, limit);
  }
  async getGroupNames(userKey: string) { this.check(); return [...this.groupsOf(userKey)]; }
  async isUserInGroup(userKey: string, group: string) { this.check(); return this.groupsOf(userKey).has(group); }
  async isSystemAdmin(userKey: string) { this.check(); return this.groupsOf(userKey).has(FAKE_SYSADMIN_GROUP); }
  async isAdmin(userKey: string) { this.check(); const groups = this.groupsOf(userKey); return groups.has(FAKE_SYSADMIN_GROUP) || groups.has(FAKE_ADMIN_GROUP); }
  async checkPassword(name: string, password: string) {
    this.check();
    const s = this.find(name);
    return s && s.password === password ? s.user : null;
  }
}

export class FakePermissionManager implements PermissionManager {
  constructor(private readonly users: FakeUserManager) {}

  async hasGlobalPermission(userKey: string, permission: GlobalPermission): Promise<boolean> {
    if (permission === 'USE') return (await this.users.getUserByKey(userKey)) !== null;
    return permission === 'ADMINISTER' ? this.users.isAdmin(userKey) : this.users.isSystemAdmin(userKey);
  }

  async userKeysWithGlobalPermission(permission: 'SYSTEM_ADMIN' | 'ADMINISTER'): Promise<string[]> {
    return this.users.keysInGroups(permission === 'SYSTEM_ADMIN' ? [FAKE_SYSADMIN_GROUP] : [FAKE_SYSADMIN_GROUP, FAKE_ADMIN_GROUP]);
  }

  async unknownGroups(groupNames: readonly string[]): Promise<string[]> {
    const seen = new Set<string>();
    return groupNames.filter((g) => {
      const lower = g.toLowerCase();
      if (seen.has(lower)) return false;
      seen.add(lower);
      return !this.users.hasGroup(g);
    });
  }

  async isInAnyGroup(userKey: string, groupNames: readonly string[]): Promise<boolean> {
    const groups = this.users.groupsOf(userKey);
    return groupNames.some((g) => groups.has(g));
  }
}

export class FakeLoginManager implements LoginManager {
  private readonly info = new Map<string, { current: number; total: number; last: number | null }>();
  /** When false, {@link peekElevatedSecurityCheckRequired} answers "not cached". */
  cached = true;
  readonly failures: string[] = [];
  readonly successes: string[] = [];

  constructor(private readonly maxFailed = 3, private readonly baseUrl = 'http://localhost:2990/jira') {}

  private entry(name: string) {
    const key = name.toLowerCase();
    let e = this.info.get(key);
    if (!e) { e = { current: 0, total: 0, last: null }; this.info.set(key, e); }
    return e;
  }

  private toInfo(name: string): LoginInfo {
    const e = this.entry(name);
    return { currentFailedLoginCount: e.current, totalFailedLoginCount: e.total, lastFailedLoginTime: e.last, elevatedSecurityCheckRequired: e.current >= this.maxFailed };
  }

  async getLoginInfo(name: string) { return this.toInfo(name); }
  async isElevatedSecurityCheckRequired(name: string) { return this.entry(name).current >= this.maxFailed; }
  peekElevatedSecurityCheckRequired(name: string) { return this.cached ? this.entry(name).current >= this.maxFailed : undefined; }
  async recordFailedLogin(name: string) {
    const e = this.entry(name);
    e.current++; e.total++; e.last = Date.now();
    this.failures.push(name);
    return this.toInfo(name);
  }
  async recordSuccessfulLogin(name: string) { this.entry(name).current = 0; this.successes.push(name); }
  async resetFailedLoginCount(name: string) { this.entry(name).current = 0; }
  captchaChallengeHeaders() {
    return {
      'X-Seraph-LoginReason': 'AUTHENTICATION_DENIED',
      'X-Authentication-Denied-Reason': `CAPTCHA_CHALLENGE; login-url=${this.baseUrl}/login.jsp`,
    };
  }
}
