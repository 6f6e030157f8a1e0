// The contract between the host's storage/services half (host-sim/impl) and its web half
// (host-sim/server, rest, auth, loader). Only the host uses it; plugins see host-sim/spi.
import type { MigrationInterface } from 'typeorm';
import type { WebSudoSessions } from '../auth/webSudo';
import type { PasswordEncoder } from './users/PasswordEncoder';
import type {
  AuditEvent, AuditService, ClusterLockService, ClusterMessagingService, EventPublisher, HostServices,
  HostUser, I18nResolver, LicenseState, Logger, LoginManager, MailMessage, MailService, PermissionManager,
  Product, Scheduler, UserManager, WebSudoManager,
} from '../spi';

export interface HostConfig {
  readonly product: Product;
  readonly port: number;
  /** `/jira`, `/confluence` or '' */
  readonly contextPath: string;
  /** Absolute, no trailing slash, includes the context path. */
  readonly baseUrl: string;
  /** `sqlite:<file>` or `mysql://user:pass@host:port/db`. */
  readonly dbUrl: string;
  readonly dataDir: string;
  readonly logLevel: string;
  readonly nodeId: string;
  readonly devMode: boolean;
  readonly smtpUrl?: string;
  /**
   * `ADMIN_PASSWORD`: the password the user `admin` gets at start (set again at every start). Without
   * it a new database's `admin` has the password `admin`, and a node refuses to listen beyond the
   * loopback while that password works (server.ts).
   */
  readonly adminPassword?: string;
  /** Failed Basic logins in a row before CAPTCHA state (default 3). */
  readonly maxFailedLogins: number;
  /** How often the cluster change log is polled (default 250 ms; must be < 1000). */
  readonly clusterPollIntervalMs: number;
  /**
   * How far behind the change log a node may fall before its caches are no longer trusted
   * (ClusterMessagingService `isCurrent`; default 5,000 ms, 1,000–120,000).
   */
  readonly clusterMaxLagMs?: number;
  /** From `<dataDir>/host.properties` and `-D`-style env (`HOSTSIM_SYSPROPS`), e.g. `apitokenauth.secure.mode`. */
  readonly systemProperties: Readonly<Record<string, string>>;
}

/** A user as the host stores it, for the host's own REST API. */
export interface StoredUser extends HostUser {
  readonly groups: readonly string[];
}

export interface NewUser {
  readonly name: string;
  readonly password: string;
  readonly email: string;
  readonly displayName: string;
  readonly locale?: string;
  readonly timeZone?: string;
  readonly groups?: readonly string[];
}

/** User administration on top of the plugin-facing UserManager. */
export interface UserAdministration extends UserManager {
  createUser(user: NewUser): Promise<StoredUser>;
  /** Deletes the user and publishes `user-deleted`; false when there was no such user. */
  deleteUser(name: string): Promise<boolean>;
  /** Publishes `user-deactivated` when switching to inactive. */
  setActive(name: string, active: boolean): Promise<void>;
  setPassword(name: string, password: string): Promise<void>;
  /** Whether the user `admin` is active and still logs in with the password `admin` (what `npm start` and the login page may tell a newcomer). */
  hasDefaultAdminPassword(): Promise<boolean>;
  /**
   * From now on `admin` / `admin` logs in nowhere on this node (it listens beyond the loopback),
   * whatever gives the user that password again: another node's `ADMIN_PASSWORD`, or the user
   * made active again. Logged as a warning when tried.
   */
  refuseDefaultAdminPassword(): void;
  updateUser(name: string, changes: { email?: string; displayName?: string; locale?: string; timeZone?: string }): Promise<StoredUser>;
  addUserToGroup(name: string, group: string): Promise<void>;
  /** True for the group whose members are system administrators (compared case-insensitively). */
  isSystemAdminGroup(group: string): boolean;
  removeUserFromGroup(name: string, group: string): Promise<void>;
  getStoredUser(name: string): Promise<StoredUser | null>;
  /** {@link getStoredUser} from the cache alone: `undefined` when the user or its groups are not cached. */
  peekStoredUser(name: string): StoredUser | null | undefined;
  createGroup(name: string): Promise<void>;
  listGroups(): Promise<string[]>;
  listUsers(offset: number, limit: number): Promise<StoredUser[]>;
}

export interface StoredAuditEvent extends AuditEvent {
  readonly id: number;
  readonly timestamp: number;
  readonly nodeId: string;
}

export interface AuditLog extends AuditService {
  /** Newest first. */
  query(options: { offset: number; limit: number; action?: string; from?: number; to?: number }): Promise<{ events: StoredAuditEvent[]; total: number }>;
}

export interface StoredMail extends MailMessage {
  readonly id: number;
  readonly createdAt: number;
  readonly delivered: boolean;
  readonly error: string | null;
}

export interface MailOutbox extends MailService {
  /** Newest first (at most 500). */
  list(): Promise<StoredMail[]>;
  clear(): Promise<void>;
  /** Resolves when every SMTP delivery started so far has finished (delivery runs in the background). */
  flush(): Promise<void>;
}

export interface MovableClock {
  now(): number;
  getOffsetMillis(): number;
  /** Persisted and broadcast to every node. */
  setOffsetMillis(offset: number): Promise<void>;
}

export interface HostScheduler extends Scheduler {
  jobKeys(): string[];
  /** Unschedules every job of a plugin (job keys are `<pluginKey>:<moduleKey>`). */
  unscheduleByPrefix(prefix: string): void;
  stopAll(): void;
  /** Resolves when every run that has started has finished. */
  idle(): Promise<void>;
}

export interface LicenseAdministration {
  getState(pluginKey: string): LicenseState;
  setState(pluginKey: string, state: LicenseState): Promise<void>;
}

export interface PluginStateStore {
  isEnabled(pluginKey: string): boolean;
  /** Persisted and broadcast; listeners run on every node (incl. this one) when it changes. */
  setEnabled(pluginKey: string, enabled: boolean): Promise<void>;
  onChange(listener: (pluginKey: string, enabled: boolean) => void): () => void;
}

/** Database-backed sessions, so a cookie works on every node. */
export interface SessionStore {
  create(userKey: string): Promise<string>;
  get(sessionId: string): Promise<{ userKey: string; xsrfToken: string } | null>;
  destroy(sessionId: string): Promise<void>;
  /** Ends every session these ids name (ids of no session change nothing), in a few statements however many. */
  destroyMany(sessionIds: readonly string[]): Promise<void>;
}

/** Minimal Jira issues for the host REST API. */
export interface IssueRecord {
  readonly id: number;
  readonly key: string;
  readonly projectKey: string;
  readonly summary: string;
  readonly description: string;
  readonly issueType: string;
  readonly reporterKey: string;
  readonly created: number;
  readonly updated: number;
}
export interface CommentRecord { readonly id: number; readonly issueId: number; readonly body: string; readonly authorKey: string; readonly created: number }
export interface FilterRecord { readonly id: number; readonly name: string; readonly jql: string; readonly ownerKey: string; readonly description: string }
export interface ContentRecord {
  readonly id: number; readonly type: 'page' | 'blogpost'; readonly title: string; readonly spaceKey: string;
  readonly body: string; readonly authorKey: string; readonly created: number; readonly version: number;
}
export interface SpaceRecord { readonly id: number; readonly key: string; readonly name: string }

/** An issue type as `GET /rest/api/2/issuetype` lists it (seeded: Bug, Task, Story). */
export interface IssueTypeRecord { readonly id: number; readonly name: string; readonly description: string; readonly subtask: boolean }
/** A Jira project (seeded: `TEST` "Test Project"). */
export interface ProjectRecord { readonly id: number; readonly key: string; readonly name: string }

/**
 * Jira data. Bad input throws `HostError` (host-sim/impl/HostError.ts) with a code such as
 * `PROJECT_NOT_FOUND` or `ISSUE_TYPE_NOT_FOUND`; `issueType` may be a type name or id.
 */
export interface IssueStore {
  issueTypes(): Promise<IssueTypeRecord[]>;
  projects(): Promise<ProjectRecord[]>;
  createIssue(input: { projectKey: string; summary: string; description: string; issueType: string; reporterKey: string }): Promise<IssueRecord>;
  getIssue(keyOrId: string): Promise<IssueRecord | null>;
  updateIssue(keyOrId: string, changes: { summary?: string; description?: string }): Promise<IssueRecord | null>;
  searchByProject(projectKey: string, offset: number, limit: number): Promise<{ issues: IssueRecord[]; total: number }>;
  addComment(issueId: number, body: string, authorKey: string): Promise<CommentRecord>;
  listComments(issueId: number): Promise<CommentRecord[]>;
  createFilter(input: { name: string; jql: string; ownerKey: string; description: string }): Promise<FilterRecord>;
}

export interface ContentStore {
  createContent(input: { type: 'page' | 'blogpost'; title: string; spaceKey: string; body: string; authorKey: string }): Promise<ContentRecord>;
  listContent(options: { spaceKey?: string; type?: string; offset: number; limit: number }): Promise<{ results: ContentRecord[]; total: number }>;
  getContent(id: number): Promise<ContentRecord | null>;
  listSpaces(offset: number, limit: number): Promise<{ results: SpaceRecord[]; total: number }>;
}

export interface DatabaseHealth {
  readonly dialect: 'sqlite' | 'mysql' | 'postgres';
  /** False while the database cannot be reached (every service call then throws ServiceUnavailableError). */
  isAvailable(): boolean;
  /**
   * Statements executed so far on this node, by kind (for the benchmark's statement counter).
   * Timer-driven housekeeping (cluster change-log polling and pruning) is not counted.
   */
  statementCounts(): { reads: number; writes: number };
}

/** Options for one plugin's services. */
export interface PluginServiceOptions {
  readonly pluginKey: string;
  /** AO table prefix, e.g. `AO_5D4005` (pinned) or computed from the namespace. */
  readonly aoPrefix: string;
  /** Base path of the plugin's i18n bundle, e.g. `<root>/i18n/apitokenauth` (→ `apitokenauth_de.properties`). */
  readonly i18nBundle?: string;
}

/** Everything the host's web half needs from its storage/services half. */
export interface HostRuntime {
  readonly config: HostConfig;
  readonly logger: Logger;
  readonly db: DatabaseHealth;
  readonly clock: MovableClock;
  readonly users: UserAdministration;
  readonly permissionManager: PermissionManager;
  readonly loginManager: LoginManager;
  readonly audit: AuditLog;
  readonly mail: MailOutbox;
  readonly scheduler: HostScheduler;
  readonly clusterLocks: ClusterLockService;
  readonly clusterMessaging: ClusterMessagingService;
  readonly eventPublisher: EventPublisher;
  readonly licenses: LicenseAdministration;
  readonly pluginStates: PluginStateStore;
  readonly sessions: SessionStore;
  /** The websudo windows of this node's sessions: the host's pages and the plugins' WebSudoManager share them. */
  readonly webSudo: WebSudoSessions;
  /** The SPI's rule on those windows, the one plugins get: the host's own administration REST asks it too. */
  readonly webSudoManager: WebSudoManager;
  readonly issues: IssueStore;
  readonly content: ContentStore;
  /** The host's own messages (login page, host errors). */
  readonly hostI18n: I18nResolver;
  /** Builds the plugin-scoped services (ActiveObjects, PluginSettings, LicenseManager, I18nResolver bound to it). */
  servicesForPlugin(options: PluginServiceOptions): HostServices;
  /** Stops polling and jobs, flushes, closes the database. */
  close(): Promise<void>;
}

/** What `createHostRuntime` needs besides the config: the plugins' migrations, run after the host's. */
export interface HostRuntimeOptions {
  readonly extraMigrations?: readonly MigrationInterface[];
  /** Winston root logger; created from config.logLevel when absent. */
  readonly logger?: Logger;
  /** How user passwords are hashed and checked; default PKCS5S2 (test hosts may wrap it, see RememberingPasswordEncoder). */
  readonly passwordEncoder?: PasswordEncoder;
}

/** Implemented in host-sim/impl/createHostRuntime.ts. */
export type CreateHostRuntime = (config: HostConfig, options?: HostRuntimeOptions) => Promise<HostRuntime>;
