// Starts a host node in-process for e2e suites: a fresh database (SQLite or MariaDB), a temp
// DATA_DIR, a free 127.0.0.1 port; `stop()` tears all of it down.
//
//   const host = await startTestHost({ product: 'jira', dbKind: 'sqlite' });
//   const res = await host.request('/rest/api/2/myself', { auth: ['admin', 'admin'] });
//   expect(res.status).to.equal(200); expect(res.json.name).to.equal('admin');
//   await host.stop();
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../host-sim/config';
import type { HostRuntime } from '../../host-sim/impl/HostRuntime';
import { startHost, type RunningHost } from '../../host-sim/server';
import type { Product } from '../../host-sim/spi';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from './databases';

export const ROOT = path.resolve(__dirname, '..', '..');
/** The real plugin's descriptor. */
export const PLUGIN_DESCRIPTOR = path.join(ROOT, 'atlassian-plugin.json');
/** The host's own test plugin (every module type). */
export const TEST_PLUGIN_DESCRIPTOR = path.join(ROOT, 'test', 'fixtures', 'test-plugin', 'atlassian-plugin.json');

export interface TestHostOptions {
  readonly product?: Product;
  /** A fresh database of this kind is created (and dropped on stop). Default `sqlite`. */
  readonly dbKind?: TestDatabaseKind;
  /** Use this existing database instead (not dropped on stop), e.g. to start a second cluster node. */
  readonly dbUrl?: string;
  /** Descriptor files to load; default: the real plugin only. Pass [] for a bare host. */
  readonly descriptors?: readonly string[];
  /** Extra environment (e.g. `{ DEV_MODE: 'false', HOSTSIM_SYSPROPS: 'a=b' }`). */
  readonly env?: Readonly<Record<string, string>>;
  readonly nodeId?: string;
}

export interface TestRequestOptions {
  readonly method?: string;
  /** Sent as JSON (with `Content-Type: application/json`) unless a string. */
  readonly body?: unknown;
  /** Basic credentials `[user, password-or-token]`. */
  readonly auth?: readonly [string, string];
  readonly bearer?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cookie?: string;
}

export interface TestResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Parsed JSON body (undefined when the body is not JSON). */
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface TestHost {
  /** Base URL incl. context path, e.g. `http://127.0.0.1:41234/jira`. */
  readonly url: string;
  /** Same as `url`. */
  readonly baseUrl: string;
  readonly port: number;
  readonly dbUrl: string;
  readonly dataDir: string;
  readonly runtime: HostRuntime;
  readonly host: RunningHost;
  /** A request to `url + path` (redirects are not followed). */
  request(path: string, options?: TestRequestOptions): Promise<TestResponse>;
  /** Logs in through POST /rest/auth/1/session and returns the `JSESSIONID=…` cookie. */
  login(username: string, password: string): Promise<string>;
  /** Stops the host and drops its database and data directory (only what it created). */
  stop(): Promise<void>;
}

/** Sends one request to a URL; JSON bodies are parsed. */
export async function sendRequest(url: string, options: TestRequestOptions = {}): Promise<TestResponse> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
  }
  if (options.auth) headers.Authorization = `Basic ${Buffer.from(`${options.auth[0]}:${options.auth[1]}`).toString('base64')}`;
  if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
  if (options.cookie) headers.Cookie = options.cookie;
  const res = await fetch(url, { method: options.method ?? 'GET', headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export async function startTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const product = options.product ?? 'jira';
  const database: TestDatabase | null = options.dbUrl ? null : await createTestDatabase(options.dbKind ?? 'sqlite');
  const dbUrl = options.dbUrl ?? (database as TestDatabase).url;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-data-'));
  let host: RunningHost;
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      PRODUCT: product,
      PORT: '0',
      DB_URL: dbUrl,
      DATA_DIR: dataDir,
      NODE_ID: options.nodeId ?? 'node1',
      ...(options.env ?? {}),
    }, ROOT);
    host = await startHost(config, { descriptorPaths: options.descriptors ?? [PLUGIN_DESCRIPTOR] });
  } catch (err) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
    throw err;
  }
  let stopped = false;
  const request = (p: string, o?: TestRequestOptions): Promise<TestResponse> => sendRequest(`${host.url}${p}`, o);
  return {
    url: host.url,
    baseUrl: host.url,
    port: host.port,
    dbUrl,
    dataDir,
    runtime: host.runtime,
    host,
    request,
    async login(username, password) {
      const res = await request('/rest/auth/1/session', { method: 'POST', body: { username, password } });
      if (res.status !== 200) throw new Error(`login as ${username} failed with ${res.status}`);
      return `JSESSIONID=${String(res.json.session.value)}`;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await host.stop();
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
        await database?.drop();
      }
    },
  };
}
