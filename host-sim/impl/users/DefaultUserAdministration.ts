// The host's user directory (HOST_USER, HOST_GROUP, HOST_MEMBERSHIP). Lookups are served from a
// per-node cache; every change is announced on the cluster channel so other nodes drop theirs.
import type { Logger } from 'winston';
import type { ClusterMessagingService } from '../../spi/ClusterMessagingService';
import type { EventPublisher } from '../../spi/EventPublisher';
import type { HostUser } from '../../spi/UserManager';
import type { Database } from '../db/Database';
import { HostError } from '../HostError';
import type { NewUser, StoredUser, UserAdministration } from '../HostRuntime';
import type { PasswordEncoder } from './PasswordEncoder';
import type { ProductProfile } from './ProductProfile';
import { UserCache, type UserRecord } from './UserCache';
import type { UserStore } from './UserStore';

const CHANNEL = 'host.users';
/** The longest user name a user may have (Crowd's limit). */
const MAX_USER_NAME_LENGTH = 255;
/**
 * Default age limit of the cached users and groups (system property
 * `hostsim.userCacheMaxAgeSeconds`): the whole cache is dropped this often.
 */
export const DEFAULT_USER_CACHE_MAX_AGE_MS = 10 * 60_000;

export class DefaultUserAdministration implements UserAdministration {
  private readonly cache = new UserCache();
  private readonly hostUsers = new WeakMap<UserRecord, HostUser>();
  private readonly storedUsers = new WeakMap<UserRecord, { groups: readonly string[]; stored: StoredUser }>();
  private readonly unregister: () => void;
  private readonly unregisterResync: () => void;
  private readonly ageTimer: NodeJS.Timeout;
  /** The last answer of {@link hasDefaultAdminPassword}, for the credential it was computed from: a hash costs milliseconds, and the login page asks on every view. */
  private defaultAdmin: { readonly credential: string | null; readonly answer: Promise<boolean> } | null = null;
  /** {@link refuseDefaultAdminPassword} was called: the node is reachable beyond the loopback. */
  private defaultAdminRefused = false;

  constructor(
    private readonly db: Database,
    private readonly store: UserStore,
    private readonly profile: ProductProfile,
    private readonly passwords: PasswordEncoder,
    private readonly messaging: ClusterMessagingService,
    private readonly events: EventPublisher,
    private readonly logger: Logger,
    /** Ends a user's login sessions: the user is deleted or deactivated, or has a new password. */
    private readonly endSessionsOf: (userKey: string) => Promise<void> = async () => undefined,
    cacheMaxAgeMs: number = DEFAULT_USER_CACHE_MAX_AGE_MS,
  ) {
    // An age limit as the plugin's caches have: a change whose announcement never reached this
    // node (written by a node that stopped before it could write it again) is read after it.
    this.ageTimer = setInterval(() => this.cache.invalidate('*', null), cacheMaxAgeMs);
    this.ageTimer.unref();
    this.unregister = messaging.registerListener(CHANNEL, (message) => {
      if (message.fromNode === messaging.nodeId) return;
      try {
        const { key, name } = JSON.parse(message.payload) as { key: string | null; name: string | null };
        this.cache.invalidate(key, name);
      } catch {
        this.cache.invalidate('*', null);
      }
    });
    this.unregisterResync = messaging.registerResyncListener(() => this.cache.invalidate('*', null));
  }

  async getUserByName(name: string): Promise<HostUser | null> {
    const user = await this.recordByName(name);
    return user ? this.hostUser(user) : null;
  }

  /**
   * The cache, once this node is behind the change log emptied first: another node's change to a
   * user may be among the messages it has not read, so what it holds decides nothing until it
   * catches up (reads then go to the database). Costs no statement while it keeps up.
   */
  private current(): UserCache {
    if (!this.messaging.isCurrent()) this.cache.invalidate('*', null);
    return this.cache;
  }

  async getUserByKey(key: string): Promise<HostUser | null> {
    const cached = this.peekUserByKey(key);
    if (cached !== undefined) return cached;
    const stamp = this.cache.stamp();
    const user = await this.store.findByKey(key);
    this.cache.putByKey(stamp, key, user);
    return user ? this.hostUser(user) : null;
  }

  peekUserByKey(key: string): HostUser | null | undefined {
    const user = this.current().getByKey(key);
    return user ? this.hostUser(user) : user;
  }

  async findUsersByEmail(email: string): Promise<HostUser[]> {
    return (await this.store.findByEmail(email)).map(toHostUser);
  }

  async searchUsers(query: string, limit: number): Promise<HostUser[]> {
    return (await this.store.search(query, limit)).map(toHostUser);
  }

  async getGroupNames(userKey: string): Promise<string[]> {
    return [...await this.cachedGroups(userKey)];
  }

  private async cachedGroups(userKey: string): Promise<readonly string[]> {
    let groups = this.current().getGroups(userKey);
    if (groups === undefined) {
      const stamp = this.cache.stamp();
      groups = await this.store.groupsOf(userKey);
      this.cache.putGroups(stamp, userKey, groups);
    }
    return groups;
  }

  /**
   * One frozen value object per cached record: the hot path (token requests, /myself) asks
   * for the same user thousands of times a second, and a stable identity lets callers memoise
   * what they derive from it. A change replaces the cached record, so a new object follows.
   */
  private hostUser(record: UserRecord): HostUser {
    let user = this.hostUsers.get(record);
    if (!user) {
      user = Object.freeze(toHostUser(record));
      this.hostUsers.set(record, user);
    }
    return user;
  }

  async isUserInGroup(userKey: string, groupName: string): Promise<boolean> {
    const wanted = groupName.toLowerCase();
    return (await this.getGroupNames(userKey)).some((g) => g.toLowerCase() === wanted);
  }

  async isSystemAdmin(userKey: string): Promise<boolean> {
    return this.isUserInGroup(userKey, this.profile.sysadminGroup);
  }

  isSystemAdminGroup(group: string): boolean {
    return group.toLowerCase() === this.profile.sysadminGroup;
  }

  async isAdmin(userKey: string): Promise<boolean> {
    const groups = (await this.getGroupNames(userKey)).map((g) => g.toLowerCase());
    return groups.includes(this.profile.sysadminGroup) || groups.includes(this.profile.adminGroup);
  }

  /**
   * Against the database, not the cache: another node's new password reaches the cache a poll
   * later, and the old one signed in meanwhile (and could mint a token that outlives it). The
   * read costs ~0.1 ms next to the password hash.
   */
  async checkPassword(name: string, password: string): Promise<HostUser | null> {
    const user = name.length > MAX_USER_NAME_LENGTH ? null : await this.store.findByName(name);
    const ok = await this.passwords.matches(password, user && user.active ? user.credential : null);
    if (!ok || !user) return null;
    if (this.defaultAdminRefused && user.lowerName === 'admin' && password === 'admin') {
      this.logger.warn('Refused the password admin for the user admin: this node is reachable beyond the loopback; give admin a password of its own (ADMIN_PASSWORD)');
      return null;
    }
    return toHostUser(user);
  }

  refuseDefaultAdminPassword(): void {
    this.defaultAdminRefused = true;
  }

  async hasDefaultAdminPassword(): Promise<boolean> {
    if (this.defaultAdminRefused) return false;
    const admin = await this.recordByName('admin');
    const credential = admin && admin.active ? admin.credential : null;
    if (this.defaultAdmin?.credential !== credential) {
      this.defaultAdmin = { credential, answer: this.passwords.matches('admin', credential) };
    }
    return this.defaultAdmin.answer;
  }

  async createUser(input: NewUser): Promise<StoredUser> {
    const name = input.name?.trim();
    if (!name || name.length > MAX_USER_NAME_LENGTH || /[\s,\u0000-\u001f\u007f-\u009f]|^[.]+$/.test(name)) throw new HostError('INVALID_INPUT', 'Invalid user name');
    if (typeof input.password !== 'string' || input.password.length === 0) throw new HostError('INVALID_INPUT', 'A password is required');
    if (await this.store.findByName(name)) throw new HostError('USER_EXISTS', `A user named ${name} already exists`);
    const groups = input.groups ?? [this.profile.usersGroup];
    for (const group of groups) {
      if (!(await this.store.groupExists(group))) throw new HostError('GROUP_NOT_FOUND', `No group ${group}`);
    }
    const key = await this.profile.newUserKey();
    const inserted = await this.store.insertUser({
      key, name, displayName: input.displayName || name, email: input.email ?? '',
      credential: await this.passwords.encode(input.password),
      locale: input.locale ?? 'en_US', timeZone: input.timeZone ?? 'UTC',
    });
    if (!inserted) throw new HostError('USER_EXISTS', `A user named ${name} already exists`);
    for (const group of groups) await this.store.addMembership(key, group);
    await this.changed(key, name.toLowerCase());
    this.logger.info('User created', { userKey: key });
    return this.mustGetStored(name);
  }

  async deleteUser(name: string): Promise<boolean> {
    const user = await this.store.findByName(name);
    if (!user) return false;
    await this.db.transaction(async (tx) => {
      await tx.execute('DELETE FROM HOST_MEMBERSHIP WHERE USER_KEY = ?', [user.key]);
      await tx.execute('DELETE FROM HOST_USER WHERE ID = ?', [user.id]);
    });
    await this.endSessionsOf(user.key);
    await this.changed(user.key, user.lowerName);
    this.logger.info('User deleted', { userKey: user.key });
    await this.events.publish({ type: 'user-deleted', userKey: user.key, userName: user.name });
    return true;
  }

  async setActive(name: string, active: boolean): Promise<void> {
    const user = await this.mustFind(name);
    await this.store.update(user.id, { ACTIVE: active ? 1 : 0 });
    await this.changed(user.key, user.lowerName);
    if (user.active && !active) {
      await this.endSessionsOf(user.key);
      await this.events.publish({ type: 'user-deactivated', userKey: user.key, userName: user.name });
    }
  }

  async setPassword(name: string, password: string): Promise<void> {
    if (typeof password !== 'string' || password.length === 0) throw new HostError('INVALID_INPUT', 'A password is required');
    const user = await this.mustFind(name);
    await this.store.update(user.id, { CREDENTIAL: await this.passwords.encode(password) });
    // A cookie taken while the old password was known must not outlive it (ADMIN_PASSWORD at a
    // start ends the sessions signed in with admin/admin).
    await this.endSessionsOf(user.key);
    await this.changed(user.key, user.lowerName);
  }

  async updateUser(name: string, changes: { email?: string; displayName?: string; locale?: string; timeZone?: string }): Promise<StoredUser> {
    const user = await this.mustFind(name);
    const values: Record<string, string> = {};
    if (changes.email !== undefined) {
      values.EMAIL_ADDRESS = changes.email;
      values.LOWER_EMAIL_ADDRESS = changes.email.toLowerCase();
    }
    if (changes.displayName !== undefined) values.DISPLAY_NAME = changes.displayName;
    if (changes.locale !== undefined) values.LOCALE = changes.locale;
    if (changes.timeZone !== undefined) values.TIME_ZONE = changes.timeZone;
    if (Object.keys(values).length) {
      await this.store.update(user.id, values);
      await this.changed(user.key, user.lowerName);
    }
    return this.mustGetStored(name);
  }

  async addUserToGroup(name: string, group: string): Promise<void> {
    const user = await this.mustFind(name);
    if (!(await this.store.groupExists(group))) throw new HostError('GROUP_NOT_FOUND', `No group ${group}`);
    await this.store.addMembership(user.key, group);
    await this.changed(user.key, user.lowerName);
  }

  async removeUserFromGroup(name: string, group: string): Promise<void> {
    const user = await this.mustFind(name);
    await this.db.execute('DELETE FROM HOST_MEMBERSHIP WHERE USER_KEY = ? AND LOWER_GROUP_NAME = ?', [user.key, group.toLowerCase()]);
    await this.changed(user.key, user.lowerName);
  }

  async getStoredUser(name: string): Promise<StoredUser | null> {
    const record = await this.recordByName(name);
    if (!record) return null;
    return this.storedUser(record, await this.cachedGroups(record.key));
  }

  peekStoredUser(name: string): StoredUser | null | undefined {
    const record = this.current().getByName(name.toLowerCase());
    if (!record) return record;
    const groups = this.cache.getGroups(record.key);
    return groups === undefined ? undefined : this.storedUser(record, groups);
  }

  private storedUser(record: UserRecord, groups: readonly string[]): StoredUser {
    const memo = this.storedUsers.get(record);
    if (memo && memo.groups === groups) return memo.stored;
    const stored: StoredUser = Object.freeze({ ...toHostUser(record), groups: Object.freeze([...groups]) });
    this.storedUsers.set(record, { groups, stored });
    return stored;
  }

  async createGroup(name: string): Promise<void> {
    if (!name || name.trim() !== name || name.length > 255) throw new HostError('INVALID_INPUT', 'Invalid group name');
    if (!(await this.store.insertGroup(name))) throw new HostError('GROUP_EXISTS', `A group named ${name} already exists`);
  }

  async listGroups(): Promise<string[]> {
    return this.store.listGroups();
  }

  async listUsers(offset: number, limit: number): Promise<StoredUser[]> {
    const users = await this.store.list(offset, limit);
    return Promise.all(users.map(async (u) => ({ ...toHostUser(u), groups: await this.getGroupNames(u.key) })));
  }

  close(): void {
    clearInterval(this.ageTimer);
    this.unregister();
    this.unregisterResync();
  }

  private async recordByName(name: string): Promise<UserRecord | null> {
    // No user has a longer name: no read and no cache entry for what anyone may send (a Basic
    // user name of a few kilobytes, many of them, would fill the cache with negative entries).
    if (name.length > MAX_USER_NAME_LENGTH) return null;
    const lower = name.toLowerCase();
    let user = this.current().getByName(lower);
    if (user === undefined) {
      const stamp = this.cache.stamp();
      user = await this.store.findByName(lower);
      this.cache.putByName(stamp, lower, user);
    }
    return user;
  }

  private async mustFind(name: string): Promise<UserRecord> {
    const user = await this.store.findByName(name);
    if (!user) throw new HostError('USER_NOT_FOUND', `No user ${name}`);
    return user;
  }

  private async mustGetStored(name: string): Promise<StoredUser> {
    const user = await this.getStoredUser(name);
    if (!user) throw new HostError('USER_NOT_FOUND', `No user ${name}`);
    return user;
  }

  private async changed(key: string, lowerName: string): Promise<void> {
    this.cache.invalidate(key, lowerName);
    await this.messaging.send(CHANNEL, JSON.stringify({ key, name: lowerName }));
  }
}

function toHostUser(user: UserRecord): HostUser {
  return {
    key: user.key, name: user.name, displayName: user.displayName, email: user.email,
    active: user.active, locale: user.locale, timeZone: user.timeZone,
  };
}
