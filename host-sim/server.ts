// Starts and stops one host node: binds the port, creates the runtime (with the plugins'
// upgrade tasks), activates the plugins and serves the express app.
import http, { type RequestListener } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { CreateHostRuntime, HostConfig, HostRuntime } from './impl/HostRuntime';
import type { PasswordEncoder } from './impl/users/PasswordEncoder';
import type { Logger } from './spi';
import { ConfigError, withBoundPort } from './config';
import { createHostLogger } from './logging';
import { collectUpgradeTasks } from './loader/aoSchema';
import { ModuleRegistry } from './loader/ModuleRegistry';
import { PluginLoadError, readDescriptor, type PluginDescriptor } from './loader/PluginDescriptor';
import { PluginLoader } from './loader/PluginLoader';
import { createHostApp } from './web/createHostApp';
import { createExpressRequestClasses } from './web/expressRequestClasses';
import { errorCodeOf } from './startupErrors';
import { inFlightTracker, STOP_DRAIN_MS, type InFlightTracker } from './web/inFlightTracker';
import { statusBody } from './web/statusResource';

export interface StartHostOptions {
  /** `atlassian-plugin.json` files to load (none by default). */
  readonly descriptorPaths?: readonly string[];
  readonly logger?: Logger;
  /** Defaults to 127.0.0.1. */
  readonly bindAddress?: string;
  /** Defaults to `createHostRuntime` from host-sim/impl (tests may pass another). */
  readonly createRuntime?: CreateHostRuntime;
  /** How user passwords are hashed and checked; default PKCS5S2 (host-sim/testing may pass a remembering one). */
  readonly passwordEncoder?: PasswordEncoder;
}

/** A started host node. */
export interface RunningHost {
  /** Base URL incl. context path, e.g. `http://127.0.0.1:41234/jira`. */
  readonly url: string;
  readonly port: number;
  /** The effective config (with the bound port). */
  readonly config: HostConfig;
  readonly runtime: HostRuntime;
  readonly loader: PluginLoader;
  /** Deactivates the plugins (they flush), stops the jobs, closes HTTP and the runtime. Idempotent. */
  stop(): Promise<void>;
}

function defaultCreateRuntime(): CreateHostRuntime {
  return (require('./impl/createHostRuntime') as { createHostRuntime: CreateHostRuntime }).createHostRuntime;
}

/** A listen error as an operator error naming PORT or BIND_ADDRESS; other errors as they are. */
function listenError(err: NodeJS.ErrnoException, port: number, host: string): Error {
  switch (err.code) {
    case 'EADDRINUSE':
      return new ConfigError('PORT', String(port), `the port is already in use on ${host}`, 'stop the process that uses it or set PORT to a free port');
    case 'EACCES':
      return new ConfigError('PORT', String(port), `this user may not listen on the port (EACCES; ports below 1024 need privileges)`, 'set PORT to 1024 or above');
    case 'EADDRNOTAVAIL':
      return new ConfigError('BIND_ADDRESS', host, 'not an address of this machine (EADDRNOTAVAIL)', 'set BIND_ADDRESS to one of its addresses, 127.0.0.1, or 0.0.0.0 for every interface');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConfigError('BIND_ADDRESS', host, `the name does not resolve (${err.code})`, 'set BIND_ADDRESS to an IP address of this machine, or 0.0.0.0 for every interface');
    default:
      return err;
  }
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(listenError(err, port, host));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2000).unref();
  });
}

/**
 * What the node answers while it starts or stops: 503 everywhere, with Jira's
 * `{"state":"STARTING"|"STOPPING"}` on /status (under the context path) for load balancers.
 */
function notRunning(state: 'STARTING' | 'STOPPING', contextPath: string): RequestListener {
  const statusPath = `${contextPath}/status`;
  const body = JSON.stringify({ errorMessage: state === 'STARTING' ? 'The host is starting.' : 'The host is stopping.' });
  return (req, res) => {
    const target = req.url ?? '';
    const query = target.indexOf('?');
    const isStatus = (query === -1 ? target : target.slice(0, query)) === statusPath;
    res.writeHead(503, { 'Content-Type': 'application/json;charset=UTF-8', 'Retry-After': '1', 'Cache-Control': 'no-store' });
    res.end(isStatus ? statusBody(state) : body);
  };
}

/**
 * Header lines a request may carry, as Tomcat's `maxHeaderCount` in Jira and Confluence (and
 * HAProxy's default). Node keeps at most `maxHeadersCount` lines and drops the rest without a
 * word, so a request past it would be read without the lines a trusted proxy appends last — its
 * `X-Forwarded-For` — and the client could name its own address (found by the attack review of
 * 2026-12-04). One line more is kept than allowed, so that a request over the limit is seen and
 * refused before anything reads a header.
 */
export const MAX_HEADER_LINES = 100;
const TOO_MANY_HEADERS = JSON.stringify({ errorMessage: `The request has more than ${MAX_HEADER_LINES} header lines.` });

/** `listener` for requests within {@link MAX_HEADER_LINES}; 431 for the others. */
function withHeaderLimit(listener: RequestListener): RequestListener {
  return (req, res) => {
    if (req.rawHeaders.length <= 2 * MAX_HEADER_LINES) {
      listener(req, res);
      return;
    }
    res.writeHead(431, {
      'Content-Type': 'application/json;charset=UTF-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', Connection: 'close',
    });
    res.end(TOO_MANY_HEADERS);
  };
}

/** Whether a bound address is reachable from this machine only (127.0.0.0/8, ::1, or IPv4-mapped loopback). */
export function isLoopback(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return parsed.range() === 'loopback';
}

/**
 * The seeded system administrator `admin` / `admin` is for a node only this machine reaches. On
 * any other address (0.0.0.0 and :: are every interface) the start stops while that password
 * still works: everyone who can reach the port would be a system administrator; once started,
 * the node refuses that password for good.
 */
async function refuseDefaultAdminBeyondLoopback(runtime: HostRuntime, bound: string, bindAddress: string): Promise<void> {
  if (isLoopback(bound)) return;
  if (!(await runtime.users.checkPassword('admin', 'admin'))) {
    // And while the node runs: another node's ADMIN_PASSWORD=admin, or the user made active again,
    // would otherwise give everyone who reaches this port the password back (attack review 25).
    runtime.users.refuseDefaultAdminPassword();
    return;
  }
  throw new ConfigError('BIND_ADDRESS', bindAddress, 'other machines can reach this node while the user admin still logs in with the password admin',
    'set ADMIN_PASSWORD to a password of your own (the node gives it to admin at start), or listen on 127.0.0.1');
}

const MISDIRECTED = JSON.stringify({ errorMessage: 'This node answers only requests that name it by an IP address, localhost or the host of its base URL.' });

/** The host name of a Host header (no port, no brackets, no trailing dot), lower case; null when there is none. */
export function hostHeaderName(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  const name = value.startsWith('[') ? value.slice(1, value.indexOf(']') === -1 ? undefined : value.indexOf(']')) : value.replace(/:\d*$/, '');
  return name.toLowerCase().replace(/\.$/, '');
}

/**
 * Whether a node on the loopback should answer a request naming `name` (see {@link hostHeaderName}):
 * an IP address, `localhost` or a name under it, or the base URL's host. Any other name is a page
 * of another site whose name now points at this machine (DNS rebinding): to the browser it is that
 * site's origin, so its script could send the seeded admin / admin and read the answers. Requests
 * without a Host header (HTTP/1.0) name no site.
 */
export function namesThisMachine(name: string | null, baseUrlHost: string): boolean {
  if (name === null) return true;
  return net.isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost') || name === baseUrlHost;
}

/** `listener` for requests naming this machine; 421 for the others (a node listening on the loopback only). */
function withHostCheck(listener: RequestListener, active: () => boolean, baseUrlHost: () => string): RequestListener {
  return (req, res) => {
    if (!active() || namesThisMachine(hostHeaderName(req.headers.host), baseUrlHost())) {
      listener(req, res);
      return;
    }
    res.writeHead(421, { 'Content-Type': 'application/json;charset=UTF-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
    res.end(MISDIRECTED);
  };
}

function loadDescriptors(paths: readonly string[]): PluginDescriptor[] {
  const descriptors = paths.map((p) => readDescriptor(p));
  const keys = new Set<string>();
  for (const d of descriptors) {
    if (keys.has(d.key)) throw new PluginLoadError(`two descriptors declare the plugin key "${d.key}"`);
    keys.add(d.key);
  }
  return descriptors;
}

export async function startHost(config: HostConfig, options: StartHostOptions = {}): Promise<RunningHost> {
  const logger = options.logger ?? createHostLogger({ level: config.logLevel, nodeId: config.nodeId });
  const log = logger.child({ module: 'HostServer' });
  const descriptors = loadDescriptors(options.descriptorPaths ?? []);

  // Bind first: with PORT=0 the runtime and the plugins must see the real port in the base URL.
  let handler: RequestListener = notRunning('STARTING', config.contextPath);
  const requestClasses = createExpressRequestClasses();
  // Known once bound: whether only this machine reaches the node, and the base URL's host.
  let loopbackOnly = true;
  let baseUrlHost = '';
  const server = http.createServer(requestClasses.serverOptions,
    withHeaderLimit(withHostCheck((req, res) => handler(req, res), () => loopbackOnly, () => baseUrlHost)));
  server.maxHeadersCount = MAX_HEADER_LINES + 1;
  await listen(server, config.port, options.bindAddress ?? '127.0.0.1');
  const address = server.address() as AddressInfo;
  const bound = withBoundPort(config, address.port);
  loopbackOnly = isLoopback(address.address);
  baseUrlHost = hostHeaderName(new URL(bound.baseUrl).host) ?? '';

  let runtime: HostRuntime | null = null;
  let loader: PluginLoader | null = null;
  let tracker: InFlightTracker | null = null;
  try {
    const extraMigrations = collectUpgradeTasks(descriptors, bound.product, bound.dbUrl);
    runtime = await (options.createRuntime ?? defaultCreateRuntime())(bound, { extraMigrations, logger, passwordEncoder: options.passwordEncoder });
    await refuseDefaultAdminBeyondLoopback(runtime, address.address, options.bindAddress ?? '127.0.0.1');
    const registry = new ModuleRegistry();
    loader = new PluginLoader({ runtime, config: bound, registry, descriptors, logger: logger.child({ module: 'PluginLoader' }) });
    await loader.start().catch((err: unknown) => {
      if (err instanceof PluginLoadError || errorCodeOf(err) !== undefined) throw err;
      const keys = descriptors.map((d) => d.key).join(', ');
      throw new PluginLoadError(`activating ${keys} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    });
    const app = createHostApp({ runtime, registry, loader, logger });
    requestClasses.adopt(app);
    tracker = inFlightTracker(app);
    handler = tracker.listener;
  } catch (err) {
    await loader?.stop().catch(() => undefined);
    await runtime?.close().catch(() => undefined);
    await closeServer(server);
    throw err;
  }

  const startedRuntime = runtime;
  const startedLoader = loader;
  const startedTracker = tracker as InFlightTracker;
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log.info('Stopping host');
      // New requests get 503 (a balancer takes the node out); those under way finish first.
      handler = notRunning('STOPPING', bound.contextPath);
      if (!await startedTracker.drained(STOP_DRAIN_MS)) {
        log.warn('Requests still under way when the stop stopped waiting for them', { waitedMs: STOP_DRAIN_MS });
      }
      await startedLoader.stop();
      startedRuntime.scheduler.stopAll();
      await closeServer(server);
      await startedRuntime.close();
      log.info('Host stopped');
    })();
    return stopping;
  };
  log.info('Host started', { url: bound.baseUrl, product: bound.product, plugins: descriptors.map((d) => d.key) });
  return { url: bound.baseUrl, port: bound.port, config: bound, runtime: startedRuntime, loader: startedLoader, stop };
}
