import type { ActivateFunction, PluginContext, PluginInstance } from '../host-sim/spi';
import { AoTokenStore } from './ao/AoTokenStore';
import { FilterResponses } from './filter/FilterResponses';
import { TokenAuthFilter } from './filter/TokenAuthFilter';
import { TokenMaintenance } from './jobs/TokenMaintenance';
import { TokenMailComposer } from './mail/TokenMailComposer';
import { TokenMailer } from './mail/TokenMailer';
import type { PluginOptions } from './PluginOptions';
import { PLUGIN_PROPERTY_NAMES, readPluginProperties, unknownPluginProperties } from './config/PluginProperties';
import { createApiTokensRouter } from './rest/apitokens/ApiTokensRouter';
import { CachingRestrictionEvaluator } from './restrictions/CachingRestrictionEvaluator';
import { EngineRestrictionSupport } from './restrictions/EngineRestrictionSupport';
import { createTokenRestRouter } from './rest/TokenRestRouter';
import { RestrictionsViews } from './rest/RestrictionsViews';
import { WebSudoGate } from './rest/WebSudoGate';
import { AuditQueue, DEFAULT_AUDIT_QUEUE_OPTIONS } from './service/AuditQueue';
import { DefaultPermissionService } from './service/PermissionService';
import { DefaultSettingsService } from './service/SettingsService';
import { DefaultTokenService } from './service/DefaultTokenService';
import { DEFAULT_FAILED_ATTEMPTS_PER_MINUTE, FailedAttemptThrottle } from './service/FailedAttemptThrottle';
import { DEFAULT_CACHE_MAX_AGE_MS, DEFAULT_INVALIDATION_RETRY, InvalidationBus } from './service/InvalidationBus';
import { CallerTokenCheck } from './service/CallerTokenCheck';
import { ClusterLastAccessFlush, DEFAULT_CLUSTER_FLUSH_OPTIONS } from './service/ClusterLastAccessFlush';
import { ClusterSecureMode, SECURE_MODE_ANSWER_WAIT_MS } from './service/ClusterSecureMode';
import { LastAccessRecorder } from './service/LastAccessRecorder';
import { TokenAdmission } from './service/auth/TokenAdmission';
import { SecretHolderCheck } from './service/auth/SecretHolderCheck';
import { SudoResolver } from './service/auth/SudoResolver';
import { TokenRequestAuthentication } from './service/auth/TokenRequestAuthentication';
import { TokenAuthenticator } from './service/TokenAuthenticator';
import { TokenCache } from './service/TokenCache';
import { TokenAdminQueries } from './service/TokenAdminQueries';
import { TokenIncidentService } from './service/TokenIncidentService';
import { DEFAULT_REVOKE_REQUESTS_PER_MINUTE, TokenRevocation } from './service/TokenRevocation';
import { TokenUseAuditSampler } from './service/TokenUseAuditSampler';
import { TokenSnippets } from './snippets/TokenSnippets';
import { createUiModules, DefaultUiAccessProvider } from './ui';

/**
 * The composition root: the only place that wires the plugin's objects from the
 * {@link PluginContext}. Everything lives in the returned instance; nothing is module state,
 * so the plugin can be disabled, enabled and instantiated twice in one process.
 */
export function createActivate(options: PluginOptions = {}): ActivateFunction {
  return async (context: PluginContext): Promise<PluginInstance> => {
    const s = context.services;
    const log = (module: string) => context.logger.child({ module });
    const contextPath = context.contextPath;

    // A value the plugin cannot use stops the activation here, before anything starts.
    const props = readPluginProperties(context.systemProperties);
    const unknownProps = unknownPluginProperties(context.systemProperties);
    if (unknownProps.length > 0) {
      log('PluginProperties').warn('System properties in the plugin\'s namespace that it does not know are ignored', { properties: unknownProps, known: PLUGIN_PROPERTY_NAMES });
    }
    // How long a shared database call may go unanswered (a stalled connection): Deadline.ts.
    const databaseTimeoutMs = props.databaseTimeoutMs;
    const bus = new InvalidationBus(s.clusterMessagingService, log('InvalidationBus'),
      databaseTimeoutMs === undefined ? DEFAULT_INVALIDATION_RETRY : { ...DEFAULT_INVALIDATION_RETRY, sendTimeoutMs: databaseTimeoutMs });
    const store = new AoTokenStore(s.activeObjects);
    const maxAgeSeconds = props.cacheMaxAgeSeconds;
    const cacheMaxAgeMs = maxAgeSeconds === undefined ? DEFAULT_CACHE_MAX_AGE_MS : maxAgeSeconds * 1000;
    const settings = new DefaultSettingsService(s.pluginSettings, s.auditService, bus, log('SettingsService'), s.permissionManager, cacheMaxAgeMs, databaseTimeoutMs);
    const permissions = new DefaultPermissionService(s.userManager, s.permissionManager, settings);
    const cache = new TokenCache(store, bus, {
      maxBytes: props.tokenCacheMaxBytes,
      maxUnknown: props.tokenCacheMaxUnknown,
      maxAgeMs: cacheMaxAgeMs,
      readTimeoutMs: databaseTimeoutMs,
    });
    const recorder = new LastAccessRecorder(store, log('LastAccessRecorder'));
    const mailer = new TokenMailer(s.userManager, s.mailService, new TokenMailComposer(s.i18nResolver, context.product, context.baseUrl), log('TokenMailer'));
    const answerWindowMs = props.lastAccessAnswerWindowMs;
    const clusterFlush = new ClusterLastAccessFlush(s.clusterMessagingService, () => recorder.flushThrough(), log('ClusterLastAccessFlush'),
      answerWindowMs === undefined ? DEFAULT_CLUSTER_FLUSH_OPTIONS : { ...DEFAULT_CLUSTER_FLUSH_OPTIONS, answerWindowMs });
    const maintenance = new TokenMaintenance({ context, settings, bus, flushLastAccess: () => clusterFlush.flushEverywhere(), mailer });
    const auditQueue = new AuditQueue(s.auditService, log('AuditQueue'), {
      ...DEFAULT_AUDIT_QUEUE_OPTIONS, flushIntervalMs: options.auditFlushIntervalMs ?? DEFAULT_AUDIT_QUEUE_OPTIONS.flushIntervalMs,
    });
    // Parses at save time (priming this node's compiled forms) and compiles for requests.
    const restrictions = new CachingRestrictionEvaluator(options.restrictions ?? new EngineRestrictionSupport(contextPath), {
      maxBytes: props.restrictionsCacheMaxBytes,
    });
    const throttle = new FailedAttemptThrottle(s.clock, options.failedAttemptsPerMinute
      ?? props.failedAttemptsPerMinute ?? DEFAULT_FAILED_ATTEMPTS_PER_MINUTE);
    const authenticator = new TokenAuthenticator(cache, s.userManager, s.licenseManager, permissions, s.clock);
    const authentication = new TokenRequestAuthentication({
      authenticator, settings, throttle, recorder, newIps: maintenance.newIps, sampler: new TokenUseAuditSampler(), auditQueue, caches: bus,
      admission: new TokenAdmission(permissions, restrictions, new SudoResolver(s.userManager, auditQueue), new SecretHolderCheck(s.userManager, permissions), context.pluginKey),
      clock: s.clock, logger: log('TokenAuthFilter'),
    });
    const realm = context.product === 'jira' ? 'Jira' : 'Confluence';
    const filter = new TokenAuthFilter(authentication, new FilterResponses(s.i18nResolver, realm), log('TokenAuthFilter'), contextPath, realm);
    // Secure mode holds on every node while one has it (a node started without it must not change protected tokens).
    // Decisions wait for the other nodes' answers after the start, except on SQLite (one node).
    const secureMode = new ClusterSecureMode(props.secureMode, s.clusterMessagingService, log('ClusterSecureMode'),
      s.activeObjects.dialect === 'sqlite' ? 0 : SECURE_MODE_ANSWER_WAIT_MS);
    const tokens = new DefaultTokenService({
      store, users: s.userManager, permissions, settings, licence: s.licenseManager, restrictions,
      bus, audit: s.auditService, clock: s.clock, logger: log('TokenService'),
      secureMode, mailer,
    });
    const snippets = new TokenSnippets({ settings, users: s.userManager, product: context.product, baseUrl: context.baseUrl, secureMode });
    // Incident response (docs/api.md): lookup and bulk deletion for administrators, revocation by whoever holds a token.
    const queries = new TokenAdminQueries({ store, permissions, settings, bus, clock: s.clock });
    const incidents = new TokenIncidentService({ store, users: s.userManager, queries, bus, audit: s.auditService, logger: log('TokenIncidents') });
    const revocation = new TokenRevocation({
      store, bus, audit: s.auditService, clock: s.clock, logger: log('TokenRevocation'),
      mailer,
      throttle: new FailedAttemptThrottle(s.clock, props.revokeRequestsPerMinute ?? DEFAULT_REVOKE_REQUESTS_PER_MINUTE),
    });
    const callerCheck = new CallerTokenCheck({ store, users: s.userManager, clock: s.clock, audit: s.auditService, logger: log('CallerTokenCheck') });
    // Websudo (the host's, through the SPI) for the administrative routes of both token APIs.
    const webSudoGate = new WebSudoGate({
      webSudo: s.webSudoManager, permissions,
      tokenById: (id) => store.get(id), tokenByStringId: (stringId) => store.getByStringId(stringId),
      tokensOf: (userKey) => store.listByUser(userKey), logger: log('WebSudoGate'),
    });
    const router = createTokenRestRouter({
      tokens, settings, permissions, recorder, clock: s.clock, baseUrl: context.baseUrl, snippets, queries, incidents, revocation, users: s.userManager,
      callerCheck, webSudoGate, restrictionViews: new RestrictionsViews(),
    },
      s.i18nResolver, log('TokenRest'));
    const apiTokensRouter = createApiTokensRouter({ tokens, recorder, callerCheck, webSudoGate }, s.i18nResolver, log('ApiTokensRest'));

    const forgetUser = (event: { userKey: string }) => cache.apply({ kind: 'user', userKey: event.userKey });
    const subscriptions = [
      s.eventPublisher.subscribe('user-deactivated', forgetUser),
      s.eventPublisher.subscribe('user-deleted', forgetUser),
    ];
    auditQueue.start();
    // Not awaited: a stalled database must not hold up the activation; the others hear of it within a poll.
    void secureMode.start();

    const ui = createUiModules({
      i18n: s.i18nResolver, userManager: s.userManager, baseUrl: context.baseUrl, contextPath, pluginKey: context.pluginKey,
      product: context.product, access: new DefaultUiAccessProvider(permissions, settings, secureMode), logger: log('TokenUi'), clock: s.clock,
      licence: s.licenseManager, webSudo: s.webSudoManager,
    });

    return {
      modules: {
        'token-auth-filter': filter.middleware(),
        'token-rest': router,
        'api-tokens-rest': apiTokensRouter,
        'profile-token-panel': ui.profilePanel,
        'token-ui-servlet': ui.adminServlet,
        'last-access-flush-job': async () => { await recorder.flush(); },
        ...maintenance.jobs(),
      },
      deactivate: async () => {
        filter.close();
        tokens.close();
        clusterFlush.close();
        await secureMode.close();
        for (const unsubscribe of subscriptions) unsubscribe();
        // The final last-access flush waits for one in progress and writes what came in meanwhile.
        const results = await Promise.allSettled([recorder.close(), auditQueue.close(), maintenance.close(), revocation.close()]);
        cache.close();
        settings.close();
        await bus.close();
        for (const r of results) if (r.status === 'rejected') context.logger.warn('Could not flush on deactivate', { error: String(r.reason) });
      },
    };
  };
}

/** The plugin's entry point (named by `main` in atlassian-plugin.json). */
export const activate: ActivateFunction = createActivate();
