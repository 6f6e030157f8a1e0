// Starts one host node in-process for a plugin's integration tests (the simulator's
// `atlas-integration-test`): a temporary DATA_DIR, SQLite in it or a given DB_URL, a free
// 127.0.0.1 port, this project's plugin and/or other descriptors; see docs/plugin-development.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { loadConfig } from '../config';
import type { HostRuntime, StoredAuditEvent, StoredMail } from '../impl/HostRuntime';
import type { PasswordEncoder } from '../impl/users/PasswordEncoder';
import { Pkcs5S2PasswordEncoder } from '../impl/users/Pkcs5S2PasswordEncoder';
import { RememberingPasswordEncoder } from '../impl/users/RememberingPasswordEncoder';
import { createHostLogger } from '../logging';
import { startHost as startNode, type RunningHost } from '../server';
import type { LicenseState, Product } from '../spi';
import { sendRequest, type RequestOptions, type Response } from './http';
import { enterWebSudo } from './webSudo';

/** The descriptor of this project's plugin (API Token Authentication). */
export const API_TOKEN_PLUGIN_DESCRIPTOR = path.resolve(__dirname, '..', '..', 'atlassian-plugin.json');

export interface StartOptions {
  /** `jira` (default) or `confluence`. */
  readonly product?: Product;
  /**
   * The database, as `DB_URL` takes it (`sqlite:<file>`, `mysql://…/db`, `postgres://…/db`). Default: a SQLite
   * file in the temporary DATA_DIR, deleted on {@link Host.stop}. A given database is kept.
   */
  readonly dbUrl?: string;
  /** Descriptor files (`atlassian-plugin.json`) to load, e.g. your plugin's. */
  readonly plugins?: readonly string[];
  /** Load this project's API-token plugin too, before `plugins` (default true). */
  readonly apiTokenPlugin?: boolean;
  /**
   * More settings, as environment variables of `npm start` (README, "Configuration"), e.g.
   * `{ DEV_MODE: 'false', HOSTSIM_SYSPROPS: 'my.flag=true', MAX_FAILED_LOGINS: '5' }`.
   * PORT, DATA_DIR and DB_URL are set by the test host.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Default `node1`; give a second node of a cluster another name and the first node's `dbUrl`. */
  readonly nodeId?: string;
  /** Default: `env.LOG_LEVEL`; else `info` when logs are captured, else the process's `LOG_LEVEL` or `warn`. */
  readonly logLevel?: string;
  /** Keep log entries in {@link Host.logs} (one JSON object per line) instead of printing them. */
  readonly captureLogs?: boolean;
  /**
   * Remember verified passwords and computed hashes across the hosts of this process, so that
   * suites sending a password with every request pay one PBKDF2 per password, not one per request.
   * Wrong passwords are still checked in full. Default false: the host hashes as in production.
   */
  readonly rememberPasswords?: boolean;
}

/** A user created by {@link Host.createUser}, with the password to log in with. */
export interface TestUser {
  readonly name: string;
  readonly key: string;
  readonly password: string;
  readonly email: string;
  readonly displayName: string;
}

export interface NewTestUser {
  readonly name: string;
  /** Default `<name>-pw-1`. */
  readonly password?: string;
  /** Default `<name>@example.com`. */
  readonly email?: string;
  /** Default: the name in upper case. */
  readonly displayName?: string;
  /** E.g. `de_DE`; default `en_US`. */
  readonly locale?: string;
  /** Groups besides the product's users group (created when missing), e.g. `['jira-administrators']`. */
  readonly groups?: readonly string[];
}

/** The host clock, which every plugin asks through the SPI's `Clock`. */
export interface TestClock {
  now(): number;
  /** How far the clock is moved from real time, in milliseconds. */
  offset(): number;
  /** Moves the clock forward (negative: back) by `millis`, on every node of the cluster. */
  advance(millis: number): Promise<void>;
  setOffset(millis: number): Promise<void>;
}

/** A started host node. */
export interface Host {
  /** Base URL with the context path, e.g. `http://127.0.0.1:41234/jira`. */
  readonly url: string;
  readonly port: number;
  readonly product: Product;
  readonly dbUrl: string;
  readonly dataDir: string;
  /** The built-in system administrator (`admin` / `admin`). */
  readonly admin: { readonly name: string; readonly password: string };
  /** Captured log lines (with `captureLogs`; empty otherwise). */
  readonly logs: readonly string[];
  readonly clock: TestClock;
  /** A request to `url + path`; redirects are not followed. */
  request(path: string, options?: RequestOptions): Promise<Response>;
  /** Logs in through `POST /rest/auth/1/session` and returns the `JSESSIONID=…` cookie. */
  login(name: string, password: string): Promise<string>;
  /**
   * Opens the websudo window of a session (the `cookie` {@link login} returned) as a user does:
   * the password re-entry page's form, with the session's XSRF token from that page. Needed for
   * a session's administrative calls (administration pages, a plugin's websudo-protected REST
   * resources); the window ends after 10 minutes of the host clock without administrative activity.
   */
  enterWebSudo(cookie: string, password: string): Promise<void>;
  createUser(user: NewTestUser): Promise<TestUser>;
  createGroup(name: string): Promise<void>;
  addToGroup(userName: string, group: string): Promise<void>;
  setActive(userName: string, active: boolean): Promise<void>;
  /** Sets a plugin's UPM licence state (`valid`, `expired`, `none`); plugins see it at once. */
  setLicense(pluginKey: string, state: LicenseState): Promise<void>;
  /** Enables or disables a plugin as UPM does (its deactivate/activate run). */
  setPluginEnabled(pluginKey: string, enabled: boolean): Promise<void>;
  /** Runs a plugin's `job` module now; false when another cluster node held its lock. */
  runJob(pluginKey: string, moduleKey: string): Promise<boolean>;
  /** The mail outbox, newest first (every mail is kept, SMTP or not). */
  mail(): Promise<StoredMail[]>;
  clearMail(): Promise<void>;
  /**
   * Audit events, newest first, optionally of one action. With `min`, waits (up to
   * `timeoutMs`, default 4 s) until at least that many exist, for plugins that write in batches.
   */
  auditEvents(query?: { action?: string; min?: number; limit?: number; timeoutMs?: number }): Promise<StoredAuditEvent[]>;
  /** Stops the node; removes the temporary DATA_DIR (and the SQLite database in it). Idempotent. */
  stop(): Promise<void>;
  /** The host's internals (not part of the plugin contract): its services and the HTTP node. */
  readonly runtime: HostRuntime;
  readonly node: RunningHost;
}

let sharedRememberingEncoder: PasswordEncoder | null = null;

/** One for the whole process, so that hosts started one after another share what it remembered. */
function rememberingEncoder(): PasswordEncoder {
  sharedRememberingEncoder ??= new RememberingPasswordEncoder(new Pkcs5S2PasswordEncoder());
  return sharedRememberingEncoder;
}

function capturingLogger(level: string, nodeId: string, lines: string[]): winston.Logger {
  const logger = createHostLogger({ level, nodeId, format: 'json' });
  for (const transport of logger.transports) transport.silent = true;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8').trimEnd());
      done();
    },
  });
  logger.add(new winston.transports.Stream({ stream: sink }));
  return logger;
}

/** Starts a host node; stop it with {@link Host.stop} (e.g. in mocha's `after`). */
export async function startHost(options: StartOptions = {}): Promise<Host> {
  const product = options.product ?? 'jira';
  const nodeId = options.nodeId ?? 'node1';
  const logs: string[] = [];
  const logLevel = options.logLevel ?? options.env?.LOG_LEVEL ?? (options.captureLogs ? 'info' : process.env.LOG_LEVEL ?? 'warn');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-data-'));
  const descriptors = [...(options.apiTokenPlugin === false ? [] : [API_TOKEN_PLUGIN_DESCRIPTOR]), ...(options.plugins ?? [])];
  let node: RunningHost;
  try {
    const config = loadConfig({
      // The same NODE_ENV as the process: the host derives the base URL from it twice.
      ...(process.env.NODE_ENV === undefined ? {} : { NODE_ENV: process.env.NODE_ENV }),
      ...(options.env ?? {}),
      PRODUCT: product,
      PORT: '0',
      DATA_DIR: dataDir,
      ...(options.dbUrl === undefined ? {} : { DB_URL: options.dbUrl }),
      NODE_ID: nodeId,
      LOG_LEVEL: logLevel,
    }, process.cwd());
    const logger = options.captureLogs ? capturingLogger(logLevel, nodeId, logs) : createHostLogger({ level: logLevel, nodeId, format: 'text' });
    node = await startNode(config, { descriptorPaths: descriptors, logger, passwordEncoder: options.rememberPasswords ? rememberingEncoder() : undefined });
  } catch (err) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const { runtime } = node;
  const usersGroup = product === 'jira' ? 'jira-software-users' : 'confluence-users';
  let stopped = false;
  const request = (p: string, o?: RequestOptions): Promise<Response> => sendRequest(`${node.url}${p}`, o);
  const ensureGroup = async (group: string): Promise<void> => {
    if (!(await runtime.users.listGroups()).includes(group)) await runtime.users.createGroup(group);
  };
  const host: Host = {
    url: node.url,
    port: node.port,
    product,
    dbUrl: node.config.dbUrl,
    dataDir,
    admin: { name: 'admin', password: 'admin' },
    logs,
    runtime,
    node,
    request,
    clock: {
      now: () => runtime.clock.now(),
      offset: () => runtime.clock.getOffsetMillis(),
      advance: (millis) => runtime.clock.setOffsetMillis(runtime.clock.getOffsetMillis() + millis),
      setOffset: (millis) => runtime.clock.setOffsetMillis(millis),
    },
    async login(name, password) {
      const res = await request('/rest/auth/1/session', { method: 'POST', body: { username: name, password } });
      if (res.status !== 200) throw new Error(`login as ${name} failed with ${res.status}: ${res.text}`);
      return `JSESSIONID=${String(res.json.session.value)}`;
    },
    enterWebSudo: (cookie, password) => enterWebSudo(request, product, cookie, password),
    async createUser(user) {
      const groups = [usersGroup, ...(user.groups ?? [])];
      for (const group of groups) await ensureGroup(group);
      const password = user.password ?? `${user.name}-pw-1`;
      const created = await runtime.users.createUser({
        name: user.name, password, email: user.email ?? `${user.name}@example.com`,
        displayName: user.displayName ?? user.name.toUpperCase(), locale: user.locale, groups,
      });
      return { name: created.name, key: created.key, password, email: created.email, displayName: created.displayName };
    },
    createGroup: (name) => runtime.users.createGroup(name),
    async addToGroup(userName, group) {
      await ensureGroup(group);
      await runtime.users.addUserToGroup(userName, group);
    },
    setActive: (userName, active) => runtime.users.setActive(userName, active),
    async setLicense(pluginKey, state) {
      if (!node.loader.descriptor(pluginKey)) throw new Error(`no plugin ${pluginKey} is loaded`);
      await runtime.licenses.setState(pluginKey, state);
    },
    setPluginEnabled: (pluginKey, enabled) => node.loader.setEnabled(pluginKey, enabled),
    async runJob(pluginKey, moduleKey) {
      const jobKey = `${pluginKey}:${moduleKey}`;
      if (!runtime.scheduler.jobKeys().includes(jobKey)) throw new Error(`no job ${jobKey} is scheduled (is the plugin enabled?)`);
      return runtime.scheduler.runNow(jobKey);
    },
    mail: () => runtime.mail.list(),
    clearMail: () => runtime.mail.clear(),
    async auditEvents(query = {}) {
      const deadline = Date.now() + (query.timeoutMs ?? 4000);
      for (;;) {
        const { events } = await runtime.audit.query({ offset: 0, limit: query.limit ?? 1000, action: query.action });
        if (events.length >= (query.min ?? 0) || Date.now() >= deadline) return events;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await node.stop();
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
  return host;
}
