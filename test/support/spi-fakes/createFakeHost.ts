// Builds a complete set of SPI fakes and a PluginContext for the plugin's unit tests.
// Two "nodes" of one fake cluster share the ActiveObjects, settings, users and network.
import path from 'node:path';
import type { HostServices, Logger, PluginContext, Product } from '../../../host-sim/spi';
import { upgradeTasks } from '../../../ao-schema/apitokenauth';
import { FakeActiveObjects } from './FakeActiveObjects';
import { createCapturingLogger } from './CapturingLogger';
import {
  FakeAuditService, FakeClock, FakeClusterLockService, FakeClusterMessagingService, FakeClusterNetwork, FakeEventPublisher,
  FakeI18nResolver, FakeLicenseManager, FakeMailService, FakePluginSettings, FakeScheduler, FakeWebSudoManager,
} from './FakeServices';
import { FakeLoginManager, FakePermissionManager, FakeUserManager } from './FakeUsers';

export interface FakeHost {
  readonly services: HostServices;
  readonly context: PluginContext;
  readonly ao: FakeActiveObjects;
  readonly users: FakeUserManager;
  readonly permissions: FakePermissionManager;
  readonly login: FakeLoginManager;
  readonly settings: FakePluginSettings;
  readonly licence: FakeLicenseManager;
  readonly webSudo: FakeWebSudoManager;
  readonly audit: FakeAuditService;
  readonly mail: FakeMailService;
  readonly clock: FakeClock;
  readonly events: FakeEventPublisher;
  readonly messaging: FakeClusterMessagingService;
  readonly network: FakeClusterNetwork;
  readonly logger: Logger;
  readonly logLines: string[];
  /** Another node of the same cluster (shared database, users, settings; own caches and logger). */
  addNode(nodeId: string): FakeHost;
  close(): Promise<void>;
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export async function createFakeHost(options: { product?: Product; systemProperties?: Record<string, string> } = {}): Promise<FakeHost> {
  const ao = await FakeActiveObjects.create(upgradeTasks, options.product === 'confluence' ? 'AO_2DF51C' : 'AO_5D4005');
  const users = new FakeUserManager();
  const shared = {
    ao, users, permissions: new FakePermissionManager(users), login: new FakeLoginManager(), settings: new FakePluginSettings(),
    licence: new FakeLicenseManager(), audit: new FakeAuditService(), mail: new FakeMailService(), clock: new FakeClock(),
    events: new FakeEventPublisher(), network: new FakeClusterNetwork(), webSudo: new FakeWebSudoManager(),
    i18n: new FakeI18nResolver(path.join(REPO_ROOT, 'i18n', 'apitokenauth')),
  };
  const build = (nodeId: string): FakeHost => {
    const { logger, lines } = createCapturingLogger();
    const messaging = new FakeClusterMessagingService(nodeId, shared.network);
    const services: HostServices = {
      userManager: users, permissionManager: shared.permissions, activeObjects: ao, pluginSettings: shared.settings,
      licenseManager: shared.licence, i18nResolver: shared.i18n, auditService: shared.audit, mailService: shared.mail,
      scheduler: new FakeScheduler(), clusterLockService: new FakeClusterLockService(), loginManager: shared.login,
      clock: shared.clock, eventPublisher: shared.events, clusterMessagingService: messaging, webSudoManager: shared.webSudo,
    };
    const product = options.product ?? 'jira';
    const contextPath = product === 'jira' ? '/jira' : '/confluence';
    const context: PluginContext = {
      pluginKey: 'de.resolution.apitokenauth', product, baseUrl: `http://localhost:2990${contextPath}`, contextPath,
      systemProperties: options.systemProperties ?? {}, devMode: true, services, logger,
    };
    return {
      services, context, ao, users, permissions: shared.permissions, login: shared.login, settings: shared.settings,
      licence: shared.licence, webSudo: shared.webSudo, audit: shared.audit, mail: shared.mail, clock: shared.clock, events: shared.events,
      messaging, network: shared.network, logger, logLines: lines,
      addNode: (id: string) => build(id),
      close: () => ao.close(),
    };
  };
  return build('node-1');
}
