/**
 * A user as the host's user directory knows it (SAL `UserProfile`).
 * Read-only: a plugin never changes users through this interface.
 */
export interface HostUser {
  /** Stable user key: `admin`, `JIRAUSER10100` in Jira; 32 hex characters in Confluence. */
  readonly key: string;
  /** Login name (unique, case-insensitive). */
  readonly name: string;
  readonly displayName: string;
  readonly email: string;
  /** Inactive users cannot log in by any means. */
  readonly active: boolean;
  /** BCP-47-ish locale as Jira stores it, e.g. `en_US`, `de_DE`. */
  readonly locale: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
}

/**
 * The host's user directory (SAL `UserManager`).
 *
 * Lookups are answered from a per-node cache that the host keeps coherent across the
 * cluster, so they are cheap enough for the authentication hot path.
 */
export interface UserManager {
  /** By login name, case-insensitive; null when no such user exists. */
  getUserByName(name: string): Promise<HostUser | null>;
  /** By user key; null when no such user exists (e.g. deleted). */
  getUserByKey(key: string): Promise<HostUser | null>;
  /**
   * {@link getUserByKey} answered from this node's cache only: the user, null when the cache
   * knows there is no such user, undefined when only {@link getUserByKey} can tell. Never waits,
   * so an authentication filter can decide a request without leaving the current tick.
   */
  peekUserByKey(key: string): HostUser | null | undefined;
  /** Every user with this e-mail address (case-insensitive); may be several. */
  findUsersByEmail(email: string): Promise<HostUser[]>;
  /** Users whose name, display name or e-mail contains `query` (case-insensitive), for pickers. */
  searchUsers(query: string, limit: number): Promise<HostUser[]>;
  /** Names of the groups the user is a member of. */
  getGroupNames(userKey: string): Promise<string[]>;
  isUserInGroup(userKey: string, groupName: string): Promise<boolean>;
  /** True for members of the product's system-administrators group. */
  isSystemAdmin(userKey: string): Promise<boolean>;
  /** True for system admins and product admins. */
  isAdmin(userKey: string): Promise<boolean>;
  /**
   * Checks a password against the stored PKCS5S2 hash, read from the database (a cache would
   * take the old password until another node's change reached it). Costs one PBKDF2 (10,000
   * iterations), as in the real product. Returns the user on success, null otherwise. Does not touch the
   * failed-login counter: that is the caller's business (see {@link LoginManager}).
   */
  checkPassword(name: string, password: string): Promise<HostUser | null>;
}
