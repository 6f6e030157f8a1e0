import type { RequestHandler, Router } from 'express';
import type { ActiveObjects } from './ActiveObjects';
import type { AuditService } from './AuditService';
import type { Clock } from './Clock';
import type { ClusterLockService } from './ClusterLockService';
import type { ClusterMessagingService } from './ClusterMessagingService';
import type { EventPublisher } from './EventPublisher';
import type { I18nResolver } from './I18nResolver';
import type { LicenseManager } from './LicenseManager';
import type { Logger } from './Logger';
import type { LoginManager } from './LoginManager';
import type { MailService } from './MailService';
import type { PermissionManager } from './PermissionManager';
import type { PluginSettings } from './PluginSettings';
import type { JobRunner, Scheduler } from './Scheduler';
import type { HostUser, UserManager } from './UserManager';
import type { WebSudoManager } from './WebSudoManager';

export type Product = 'jira' | 'confluence';

/** Every host service a plugin may use. Plugin-scoped services are already bound to the plugin. */
export interface HostServices {
  readonly userManager: UserManager;
  readonly permissionManager: PermissionManager;
  readonly activeObjects: ActiveObjects;
  readonly pluginSettings: PluginSettings;
  readonly licenseManager: LicenseManager;
  readonly i18nResolver: I18nResolver;
  readonly auditService: AuditService;
  readonly mailService: MailService;
  readonly scheduler: Scheduler;
  readonly clusterLockService: ClusterLockService;
  readonly loginManager: LoginManager;
  readonly clock: Clock;
  readonly eventPublisher: EventPublisher;
  readonly clusterMessagingService: ClusterMessagingService;
  /** Websudo for the plugin's own administrative resources (SAL's WebSudoManager). */
  readonly webSudoManager: WebSudoManager;
}

/** What the host hands to a plugin's `activate` function. */
export interface PluginContext {
  readonly pluginKey: string;
  readonly product: Product;
  /** Absolute base URL incl. context path, no trailing slash, e.g. `http://localhost:2990/jira`. */
  readonly baseUrl: string;
  /** e.g. `/jira`; empty string for the root context. */
  readonly contextPath: string;
  /** Host system properties (config file and environment), e.g. `apitokenauth.secure.mode`. */
  readonly systemProperties: Readonly<Record<string, string>>;
  readonly devMode: boolean;
  readonly services: HostServices;
  /** The plugin's logger; make a child per module. */
  readonly logger: Logger;
}

/** What a `web-panel` implementation is given to render. */
export interface WebPanelContext {
  readonly user: HostUser;
  readonly locale: string;
  readonly baseUrl: string;
  readonly contextPath: string;
}

/** Renders an HTML fragment (already escaped) for a panel location such as `profile-page`. */
export type WebPanelRenderer = (context: WebPanelContext) => Promise<string>;

/**
 * The implementation of one module declared in `atlassian-plugin.json`, by module type:
 * - `rest`: an express Router, mounted at `/rest/<path>/<version>` and `/rest/<path>/latest`;
 * - `servlet-filter`: an express middleware, run for its `urlPattern` at its `location`, by `weight`;
 * - `servlet`: an express Router, mounted at `/plugins/servlet/<urlPattern>`;
 * - `web-panel`: a {@link WebPanelRenderer};
 * - `job`: a {@link JobRunner}, scheduled with the descriptor's `intervalMs`.
 * `ao`, `i18n` and `web-item` modules are pure descriptors and need no implementation.
 */
export type ModuleImplementation = Router | RequestHandler | WebPanelRenderer | JobRunner;

/** A running plugin: its module implementations keyed by module key, and its shutdown hook. */
export interface PluginInstance {
  readonly modules: Readonly<Record<string, ModuleImplementation>>;
  /** Stops timers and flushes pending writes; called on disable and on host shutdown. */
  deactivate(): Promise<void>;
}

/** The plugin's entry point (the composition root), named by `main` in the descriptor. */
export type ActivateFunction = (context: PluginContext) => Promise<PluginInstance>;
