// The express application: the request pipeline of docs/plugin-development.md under the context path.
//
//   framing and nosniff headers → request id + client IP → access log (debug) → GET /status → (DB down? 503) →
//   before-login plugin filters → login page →
//   host login (Seraph) → after-login filters → JSON body (1 MB) → host REST → plugin REST →
//   404 JSON for /rest → host pages → plugin servlets → 404 → one error-mapping middleware
import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import type { HostRuntime } from '../impl/HostRuntime';
import type { ModuleRegistry } from '../loader/ModuleRegistry';
import type { PluginLoader } from '../loader/PluginLoader';
import { claimedCredentialPrefixes } from '../loader/PluginDescriptor';
import type { Logger } from '../spi';
import { PasswordLogin } from '../auth/PasswordLogin';
import { createSeraphLogin } from '../auth/SeraphLogin';
import { restFormPostGuard } from '../auth/xsrf';
import { sessionResource } from '../auth/sessionResource';
import { HttpError, msg } from '../rest/HttpError';
import { auditResource } from '../rest/common/auditResource';
import { devToolboxResource } from '../rest/common/devToolboxResource';
import { upmResource } from '../rest/common/upmResource';
import { confluenceContentResource } from '../rest/confluence/confluenceContentResource';
import { confluenceUserResource } from '../rest/confluence/confluenceUserResource';
import { jiraIssueResource } from '../rest/jira/jiraIssueResource';
import { jiraMetaResource } from '../rest/jira/jiraMetaResource';
import { jiraSearchResource } from '../rest/jira/jiraSearchResource';
import { jiraUserResource } from '../rest/jira/jiraUserResource';
import { accessLog } from './accessLog';
import { jsonBody } from './bodyParsing';
import { errorMapping } from './errorMapping';
import { enforceFramingOnWrite, protectiveHeaders } from './framingPolicy';
import { hostPages } from './hostPages';
import { loginPage } from './loginPage';
import { pageDecorator } from './pageDecorator';
import { requestContext, trustedProxiesOf, type TrustedProxies } from './requestContext';
import { webResources } from './webResources';
import { webSudoPage } from './webSudoPage';
import { statusResource } from './statusResource';

export interface HostAppDeps {
  readonly runtime: HostRuntime;
  readonly registry: ModuleRegistry;
  readonly loader: PluginLoader;
  readonly logger: Logger;
}

/** Base path of the host's page and error messages. */

/** Paths that work without the database (everything else answers 503 while it is down). */
const NO_DATABASE_PATHS = /^\/(rest\/api\/(2|latest)\/serverInfo|static\/|login\.jsp$)/;

function databaseGate(runtime: HostRuntime): RequestHandler {
  return (req, _res, next) => {
    if (runtime.db.isAvailable() || NO_DATABASE_PATHS.test(req.path)) next();
    else next(new HttpError('SERVICE_UNAVAILABLE'));
  };
}

/** Browser navigation to a plugin servlet without a login goes to the login page first. */
function servletLoginRedirect(runtime: HostRuntime): RequestHandler {
  return (req, res, next) => {
    const accept = req.headers.accept ?? '';
    if (req.principal || req.method !== 'GET' || !accept.includes('text/html')) {
      next();
      return;
    }
    const destination = req.originalUrl.slice(runtime.config.contextPath.length);
    res.redirect(302, `${runtime.config.contextPath}/login.jsp?os_destination=${encodeURIComponent(destination)}`);
  };
}

function trustedProxies(runtime: HostRuntime): TrustedProxies {
  return trustedProxiesOf(runtime.config.systemProperties['hostsim.trusted.proxies'] ?? '');
}

export function createHostApp(deps: HostAppDeps): Express {
  const { runtime, registry, loader, logger } = deps;
  const { config } = runtime;
  const credentialPrefixes = claimedCredentialPrefixes(loader.descriptors);
  const passwordLogin = new PasswordLogin(runtime, credentialPrefixes);
  const i18n = runtime.hostI18n;
  const pageDeps = { runtime, registry, i18n, webSudo: runtime.webSudo };

  const host = express.Router();
  host.use('/static/hostsim', express.static(path.join(__dirname, 'static'), { fallthrough: false, index: false }));
  host.use(webResources());
  host.get('/status', statusResource(runtime.db, runtime.clusterMessaging));
  host.use(databaseGate(runtime));
  host.use(registry.filterMiddleware('before-login'));
  host.use(loginPage(pageDeps, passwordLogin));
  host.use(webSudoPage(pageDeps, passwordLogin));
  host.use(createSeraphLogin(runtime, passwordLogin));
  host.use(restFormPostGuard(config.baseUrl));
  host.use(registry.filterMiddleware('after-login'));
  host.use(jsonBody());

  host.use('/rest/auth/1/session', sessionResource(runtime, passwordLogin));
  if (config.product === 'jira') {
    const api = express.Router();
    api.use(jiraMetaResource(runtime), jiraUserResource(runtime), jiraIssueResource(runtime), jiraSearchResource(runtime));
    host.use(['/rest/api/2', '/rest/api/latest'], api);
  } else {
    host.use('/rest/api', confluenceUserResource(runtime), confluenceContentResource(runtime));
  }
  host.use('/rest/auditing/1.0', auditResource(runtime));
  host.use('/rest/plugins/1.0', upmResource(runtime, loader));
  if (config.devMode) host.use('/rest/hostsim/1.0', devToolboxResource(runtime, loader));
  host.use(registry.restMiddleware());
  host.use('/rest', (req, _res, next) => next(new HttpError('NOT_FOUND', msg('hostsim.route.notFound', req.originalUrl.split('?')[0].slice(0, 200)))));

  host.use(hostPages(pageDeps, logger));
  host.use('/plugins/servlet', servletLoginRedirect(runtime), enforceFramingOnWrite(), pageDecorator(pageDeps));
  host.use(registry.servletMiddleware());
  host.use((_req, _res, next) => next(new HttpError('NOT_FOUND')));

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(protectiveHeaders());
  app.use(requestContext(config.nodeId, trustedProxies(runtime)));
  app.use(accessLog(logger, credentialPrefixes));
  if (config.contextPath) {
    app.get('/', (_req, res) => res.redirect(302, `${config.contextPath}/`));
    app.use(config.contextPath, host);
  } else {
    app.use(host);
  }
  app.use((_req, _res, next) => next(new HttpError('NOT_FOUND')));
  app.use(errorMapping({ product: config.product, contextPath: config.contextPath, i18n, logger, credentialPrefixes }));
  return app;
}
