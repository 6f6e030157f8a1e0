// Starts a host node in-process for e2e suites: a fresh database (SQLite or MariaDB), a temp
// DATA_DIR, a free 127.0.0.1 port; `stop()` tears all of it down. Built on the host's public
// testing API (host-sim/testing, docs/plugin-development.md), which plugin developers use too;
// this file only adds the fresh MariaDB databases of `npm test` and the suites' old names.
//
//   const host = await startTestHost({ product: 'jira', dbKind: 'sqlite' });
//   const res = await host.request('/rest/api/2/myself', { auth: ['admin', 'admin'] });
//   expect(res.status).to.equal(200); expect(res.json.name).to.equal('admin');
//   await host.stop();
import fs from 'node:fs';
import path from 'node:path';
import type { RunningHost } from '../../host-sim/server';
import type { Product } from '../../host-sim/spi';
import { API_TOKEN_PLUGIN_DESCRIPTOR, sendRequest, startHost, type Host, type RequestOptions, type Response } from '../../host-sim/testing';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from './databases';

export const ROOT = path.resolve(__dirname, '..', '..');
/**
 * `node -r REGISTER_TS …` loads the project's TypeScript from a disk cache where it can
 * (scripts/register-ts.js): ~1 s less for each node process a suite starts.
 */
export const REGISTER_TS = path.join(ROOT, 'scripts', 'register-ts.js');

/**
 * The command `npm start` runs (package.json's start script) as a command and its arguments, for
 * the suites that start the host as npm would without npm; its leading `exec` (the shell hands
 * signals straight to the host) is the shell's, not part of the command.
 */
export function startScriptCommand(): string[] {
  const script = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const words = script.trim().split(/\s+/);
  return words[0] === 'exec' ? words.slice(1) : words;
}
/** The real plugin's descriptor. */
export const PLUGIN_DESCRIPTOR = API_TOKEN_PLUGIN_DESCRIPTOR;
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
  /** Keep log entries in `logs` (see host-sim/testing `captureLogs`), at `logLevel` (e.g. `debug` for access lines). */
  readonly captureLogs?: boolean;
  readonly logLevel?: string;
}

export type TestRequestOptions = RequestOptions;
export type TestResponse = Response;

/** The testing API's {@link Host} under the names the suites have always used. */
export interface TestHost extends Host {
  /** Same as `url`. */
  readonly baseUrl: string;
  /** Same as `node`. */
  readonly host: RunningHost;
}

export { sendRequest };

export async function startTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const database: TestDatabase | null = options.dbUrl ? null : await createTestDatabase(options.dbKind ?? 'sqlite');
  let started: Host;
  try {
    started = await startHost({
      product: options.product,
      dbUrl: options.dbUrl ?? (database as TestDatabase).url,
      apiTokenPlugin: false,
      plugins: options.descriptors ?? [PLUGIN_DESCRIPTOR],
      env: { NODE_ENV: 'test', ...(options.env ?? {}) },
      nodeId: options.nodeId,
      captureLogs: options.captureLogs,
      logLevel: options.logLevel,
      // Suites send a password with most requests: one PBKDF2 per password, not per request.
      rememberPasswords: true,
    });
  } catch (err) {
    await database?.drop();
    throw err;
  }
  let dropped = false;
  return {
    ...started,
    baseUrl: started.url,
    host: started.node,
    async stop() {
      try {
        await started.stop();
      } finally {
        if (!dropped) {
          dropped = true;
          await database?.drop();
        }
      }
    },
  };
}
