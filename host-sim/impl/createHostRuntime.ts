// The composition root of the host's storage/services half: opens the database, runs the host's
// and the plugins' migrations, seeds the admin user and wires every service.
import path from 'node:path';
import { DefaultWebSudoManager } from '../auth/DefaultWebSudoManager';
import { WebSudoSessions, webSudoEnabled } from '../auth/webSudo';
import type { HostServices } from '../spi/plugin';
import { DefaultActiveObjects } from './ao/DefaultActiveObjects';
import { DefaultAuditLog } from './audit/DefaultAuditLog';
import { DefaultClusterLockService } from './cluster/DefaultClusterLockService';
import { DefaultClusterMessagingService } from './cluster/DefaultClusterMessagingService';
import { DefaultEventPublisher } from './cluster/DefaultEventPublisher';
import { DEFAULT_MIN_JOB_LEASE_MS, DefaultHostScheduler } from './cluster/DefaultHostScheduler';
import { NodeConfigCheck, sharedNodeSettings } from './cluster/NodeConfigCheck';
import { DefaultMovableClock } from './cluster/DefaultMovableClock';
import { createHostLogger } from './createHostLogger';
import { DefaultContentStore } from './data/DefaultContentStore';
import { DefaultIssueStore } from './data/DefaultIssueStore';
import { Database } from './db/Database';
import { hostMigrations } from './db/migrations';
import { SequenceService } from './db/SequenceService';
import type { CreateHostRuntime, HostConfig, HostRuntime, HostRuntimeOptions, PluginServiceOptions } from './HostRuntime';
import { PropertiesI18nResolver } from './i18n/PropertiesI18nResolver';
import { DefaultMailOutbox } from './mail/DefaultMailOutbox';
import { DefaultLicenseAdministration } from './plugins/DefaultLicenseAdministration';
import { DefaultPluginSettings } from './plugins/DefaultPluginSettings';
import { DefaultPluginStateStore } from './plugins/DefaultPluginStateStore';
import { DefaultLoginManager } from './users/DefaultLoginManager';
import { DefaultPermissionManager } from './users/DefaultPermissionManager';
import { DefaultSessionStore } from './users/DefaultSessionStore';
import { DEFAULT_USER_CACHE_MAX_AGE_MS, DefaultUserAdministration } from './users/DefaultUserAdministration';
import { Pkcs5S2PasswordEncoder } from './users/Pkcs5S2PasswordEncoder';
import { productProfile } from './users/ProductProfile';
import { seedProductDirectory } from './users/seedProductDirectory';
import { UserStore } from './users/UserStore';

export { aoPrefixForNamespace, aoTableName } from './ao/aoNaming';

/** Base path of the host's own message bundle (`i18n/hostsim.properties`, `i18n/hostsim_de.properties`). */
export const HOST_I18N_BUNDLE = path.resolve(__dirname, '..', '..', 'i18n', 'hostsim');

export const createHostRuntime: CreateHostRuntime = async (config: HostConfig, options: HostRuntimeOptions = {}) => {
  checkConfig(config);
  const logger = options.logger ?? createHostLogger(config.logLevel, config.nodeId);
  const log = (module: string) => logger.child({ module });
  const db = await Database.open(config.dbUrl, log('Database'));
  const closers: Array<() => Promise<void> | void> = [];
  try {
    await db.withMigrationLock(async () => {
      const host = hostMigrations();
      const ranHost = await db.runMigrations(host);
      const extra = options.extraMigrations ?? [];
      const ranExtra = extra.length ? await db.runMigrations([...host, ...extra]) : [];
      if (ranHost.length || ranExtra.length) log('Database').info('Migrations ran', { migrations: [...ranHost, ...ranExtra] });
    });

    const clock = new DefaultMovableClock(db, log('Clock'), config.devMode);
    const clusterMessaging = new DefaultClusterMessagingService(db, config.nodeId, config.clusterPollIntervalMs, log('ClusterMessagingService'),
      config.clusterMaxLagMs);
    await clusterMessaging.start();
    closers.push(() => clusterMessaging.stop());
    await clock.start(clusterMessaging);
    closers.push(() => clock.close());
    const nodeConfigCheck = new NodeConfigCheck(clusterMessaging, sharedNodeSettings(config), log('NodeConfigCheck'));
    await nodeConfigCheck.start();
    closers.push(() => nodeConfigCheck.close());
    const eventPublisher = new DefaultEventPublisher(clusterMessaging, log('EventPublisher'));
    closers.push(() => eventPublisher.close());

    const profile = productProfile(config.product, new SequenceService(db));
    const sessions = new DefaultSessionStore(db, clock, log('SessionStore'));
    const passwords = options.passwordEncoder ?? new Pkcs5S2PasswordEncoder();
    const userStore = new UserStore(db, clock);
    await seedProductDirectory(userStore, passwords, profile);
    const users = new DefaultUserAdministration(db, userStore, profile, passwords, clusterMessaging, eventPublisher,
      log('UserAdministration'), (userKey) => sessions.destroyAllFor(userKey), userCacheMaxAgeMs(config.systemProperties));
    closers.push(() => users.close());
    if (config.adminPassword !== undefined && await users.getUserByName('admin') && !(await users.checkPassword('admin', config.adminPassword))) {
      await users.setPassword('admin', config.adminPassword);
    }

    const loginManager = new DefaultLoginManager(db, clusterMessaging, clock, config.maxFailedLogins, config.baseUrl);
    closers.push(() => loginManager.close());
    const mail = new DefaultMailOutbox(db, clock, config.nodeId, config.systemProperties['mail.from'] ?? `${config.product}@localhost`,
      config.smtpUrl, log('MailOutbox'));
    const clusterLocks = new DefaultClusterLockService(db, config.nodeId);
    const scheduler = new DefaultHostScheduler(clusterLocks, clock, log('HostScheduler'), minJobLeaseMs(config.systemProperties));
    const licenses = new DefaultLicenseAdministration(db, clusterMessaging, clock, log('LicenseAdministration'));
    await licenses.start();
    closers.push(() => licenses.close());
    const pluginStates = new DefaultPluginStateStore(db, clusterMessaging, eventPublisher, clock, log('PluginStateStore'));
    await pluginStates.start();
    closers.push(() => pluginStates.close());

    const permissionManager = new DefaultPermissionManager(users, profile, (groups) => userStore.userKeysInGroups(groups),
      (group) => userStore.groupExists(group));
    const audit = new DefaultAuditLog(db, clock, config.nodeId);
    const hostI18n = new PropertiesI18nResolver([HOST_I18N_BUNDLE]);
    const webSudo = new WebSudoSessions(clock, webSudoEnabled(config.systemProperties));
    const webSudoManager = new DefaultWebSudoManager(webSudo, config.contextPath, config.product);

    const servicesForPlugin = (plugin: PluginServiceOptions): HostServices => ({
      userManager: users,
      permissionManager,
      activeObjects: new DefaultActiveObjects(db, plugin.aoPrefix),
      pluginSettings: new DefaultPluginSettings(db, clusterMessaging, clock, plugin.pluginKey),
      licenseManager: licenses.managerFor(plugin.pluginKey),
      i18nResolver: new PropertiesI18nResolver(plugin.i18nBundle ? [plugin.i18nBundle] : []),
      auditService: audit,
      mailService: mail,
      scheduler,
      clusterLockService: clusterLocks,
      loginManager,
      clock,
      eventPublisher,
      clusterMessagingService: clusterMessaging,
      webSudoManager,
    });

    let closing: Promise<void> | null = null;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        scheduler.stopAll();
        await scheduler.idle();
        await mail.close();
        for (const closer of closers.reverse()) await closer();
        await db.close();
      })();
      return closing;
    };

    const runtime: HostRuntime = {
      config, logger, db, clock, users, permissionManager, loginManager, audit, mail, scheduler, clusterLocks,
      clusterMessaging, eventPublisher, licenses, pluginStates, sessions, webSudo, webSudoManager, issues: new DefaultIssueStore(db, clock),
      content: new DefaultContentStore(db, clock), hostI18n, servicesForPlugin, close,
    };
    logger.child({ module: 'HostRuntime' }).info('Host runtime started', { product: config.product, db: db.url.redacted, dialect: db.dialect });
    return runtime;
  } catch (err) {
    for (const closer of closers.reverse()) await Promise.resolve(closer()).catch(() => undefined);
    await db.close().catch(() => undefined);
    throw err;
  }
};

/** `hostsim.userCacheMaxAgeSeconds` (1 s – 1 day), else the default of 10 min. */
function userCacheMaxAgeMs(properties: Readonly<Record<string, string>>): number {
  const raw = properties['hostsim.userCacheMaxAgeSeconds'];
  if (raw === undefined) return DEFAULT_USER_CACHE_MAX_AGE_MS;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1 || value > 86_400) {
    throw new Error(`System property hostsim.userCacheMaxAgeSeconds must be a whole number of seconds between 1 and 86400, not "${raw}"`);
  }
  return value * 1000;
}

/** `hostsim.scheduler.minLeaseMs` (1 s – 15 min), else the default of 30 s. */
function minJobLeaseMs(properties: Readonly<Record<string, string>>): number {
  const raw = properties['hostsim.scheduler.minLeaseMs'];
  if (raw === undefined) return DEFAULT_MIN_JOB_LEASE_MS;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1000 || value > 15 * 60_000) {
    throw new Error(`System property hostsim.scheduler.minLeaseMs must be a whole number of milliseconds between 1000 and 900000, not "${raw}"`);
  }
  return value;
}

function checkConfig(config: HostConfig): void {
  if (config.product !== 'jira' && config.product !== 'confluence') throw new Error(`Unknown product ${String(config.product)}`);
  if (!Number.isFinite(config.clusterPollIntervalMs) || config.clusterPollIntervalMs <= 0 || config.clusterPollIntervalMs >= 1000) {
    throw new Error('clusterPollIntervalMs must be between 1 and 999 ms');
  }
  const lag = config.clusterMaxLagMs;
  if (lag !== undefined && (!Number.isSafeInteger(lag) || lag < 1000 || lag > 120_000)) throw new Error('clusterMaxLagMs must be between 1000 and 120000 ms');
  if (!Number.isSafeInteger(config.maxFailedLogins) || config.maxFailedLogins < 1) throw new Error('maxFailedLogins must be a positive integer');
  if (!config.nodeId) throw new Error('nodeId is required');
}
