// A Data Center cluster for e2e suites: several host nodes started as SEPARATE PROCESSES
// (`node -r ./scripts/register-ts.js host-sim/main.ts`), each with its own NODE_ID,
// 127.0.0.1 port and DATA_DIR, all on one MariaDB or PostgreSQL database (docs/data-center.md), optionally
// behind a real HAProxy (scripts/haproxy.js) that health-checks each node's /status.
//
//   const cluster = await startCluster({ nodes: 3, product: 'jira', db: 'postgres', balancer: true });
//   const [a, b] = cluster.nodes;
//   await a.request('/rest/api/2/user', { method: 'POST', auth: ['admin', 'admin'], body: {...} });
//   await cluster.balancer!.request('/rest/api/2/myself', { bearer: token });
//   await cluster.stop();
//
// Inside a mocha `describe`, `useCluster(options)` does the before/after work and prints
// the tail of every node's log when a test fails.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Product } from '../../host-sim/spi';
import { startHaproxy, type HaproxyCheck, type RunningHaproxy } from '../../scripts/haproxy';
import { createTestDatabase, SERVER_DATABASE_KINDS, type TestDatabase } from './databases';
import { freePort } from './freePort';
import { PLUGIN_DESCRIPTOR, REGISTER_TS, ROOT, sendRequest, type TestRequestOptions, type TestResponse } from './hostServer';

const MAIN = path.join(ROOT, 'host-sim', 'main.ts');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

export interface ClusterOptions {
  readonly nodes: 2 | 3;
  readonly product?: Product;
  /**
   * The kind of the fresh database the cluster gets: default MariaDB, or PostgreSQL when
   * TEST_DATABASES leaves MariaDB out (`TEST_DATABASES=postgres` runs every cluster suite on it).
   */
  readonly db?: 'mariadb' | 'postgres';
  /** Use this existing database (not dropped on stop); default: a fresh database of kind {@link db}. */
  readonly dbUrl?: string;
  /**
   * Put HAProxy in front of the nodes (started after them; resolves once it sees every node
   * UP). The nodes then get the balancer's address as BASE_URL and trust it as a proxy.
   */
  readonly balancer?: boolean | { readonly check?: HaproxyCheck };
  /** Extra environment for every node (e.g. `{ SMTP_URL: … }`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Descriptor files (PLUGIN_DESCRIPTORS); default: the real plugin only. */
  readonly descriptors?: readonly string[];
}

/** One node process of a {@link Cluster}. */
export interface ClusterNode {
  /** `node1`, `node2`, … */
  readonly nodeId: string;
  readonly product: Product;
  /** Base URL incl. context path, e.g. `http://127.0.0.1:41234/jira`. */
  readonly baseUrl: string;
  readonly port: number;
  readonly pid: number;
  /** stdout and stderr of the process. */
  readonly logFile: string;
  /** True once the process has exited. */
  readonly exited: boolean;
  /** A request to `baseUrl + path` (redirects are not followed). */
  request(path: string, options?: TestRequestOptions): Promise<TestResponse>;
  /** Sends a signal (e.g. `SIGKILL`) without waiting. */
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  waitForExit(): Promise<number | string>;
  /** SIGTERM (graceful: the plugins flush) and wait; SIGKILL after 20 s. Idempotent. */
  stop(): Promise<number | string>;
  /** The last `lines` lines of the node's log. */
  logTail(lines?: number): string;
}

/** The HAProxy in front of a cluster. */
export interface ClusterBalancer {
  /** Base URL incl. context path, e.g. `http://127.0.0.1:41234/jira`. */
  readonly baseUrl: string;
  readonly port: number;
  /** A request through the balancer (send `X-Request-Id` to find it in {@link requestLog}). */
  request(path: string, options?: TestRequestOptions): Promise<TestResponse>;
  /** The balancer's view of each node: `{ node1: 'UP', node2: 'DOWN', … }`. */
  serverStates(): Promise<Record<string, string>>;
  /** HAProxy's counters of each node (`show stat` columns by name, e.g. `stot`, `eresp`, `srv_abrt`). */
  serverStats(): Promise<Record<string, Record<string, string>>>;
  /** One entry per request that has completed so far, in completion order. */
  requestLog(): BalancedRequest[];
  /** HAProxy's own output (health-check transitions and warnings). */
  messages(): string[];
}

/** A request as HAProxy logged it. */
export interface BalancedRequest {
  /** The node that served it, or `<NOSRV>`. */
  readonly server: string;
  readonly status: number;
  /** HAProxy's termination state, e.g. `----` (normal) or `SH--` (the server aborted). */
  readonly termination: string;
  /** The X-Request-Id header the client sent ('' when none). */
  readonly requestId: string;
}

export interface Cluster {
  readonly nodes: readonly ClusterNode[];
  readonly dbUrl: string;
  /** HAProxy in front of the nodes, when {@link ClusterOptions.balancer} asked for it. */
  readonly balancer: ClusterBalancer | null;
  /**
   * Starts a node that has exited again, as the same NODE_ID on the same port and DATA_DIR;
   * resolves when it serves requests (it replaces the old entry in {@link nodes}).
   */
  restart(node: ClusterNode): Promise<ClusterNode>;
  /** Every node's log tail, labelled, for a failed test's output. */
  logTails(lines?: number): string;
  /** Stops every node still running, removes the data directories and drops the database it created. */
  stop(): Promise<void>;
}


const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `fn` every `intervalMs` until it returns a truthy value and returns that value;
 * throws (with the last value seen) when `timeoutMs` has passed. `fn` always runs at least once,
 * and once more at the deadline, so a slow first call still gets its answer checked.
 */
export async function until<T>(fn: () => Promise<T> | T, timeoutMs: number, intervalMs = 20): Promise<Exclude<T, null | undefined | false>> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await fn();
    if (last) return last as Exclude<T, null | undefined | false>;
    if (Date.now() >= deadline) break;
    await delay(Math.min(intervalMs, Math.max(0, deadline - Date.now())));
  }
  throw new Error(`condition not met within ${timeoutMs} ms (last value: ${JSON.stringify(last)})`);
}

// Nodes still running when the test process exits (a crashed mocha) are killed, never orphaned.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines - 1).join('\n');
  } catch {
    return '(no log)';
  }
}

interface Spawned extends ClusterNode {
  ready(): Promise<void>;
}

/** An anonymous endpoint that answers 200 once the node serves requests (503 while it starts). */
const READY_PATH: Record<Product, string> = { jira: '/rest/api/2/serverInfo', confluence: '/rest/api/user/anonymous' };

function spawnNode(nodeId: string, product: Product, port: number, env: Record<string, string>, dir: string): Spawned {
  const dataDir = path.join(dir, nodeId);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const logFile = path.join(dir, `${nodeId}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, ['-r', REGISTER_TS, MAIN], {
    cwd: ROOT,
    env: { ...process.env, ...env, NODE_ID: nodeId, PORT: String(port), DATA_DIR: dataDir },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  running.add(child);
  let exitValue: number | string | null = null;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      exitValue = code ?? signal ?? -1;
      running.delete(child);
      resolve(exitValue);
    });
  });
  const baseUrl = `http://127.0.0.1:${port}${product === 'jira' ? '/jira' : '/confluence'}`;
  let stopping: Promise<number | string> | null = null;
  const node: Spawned = {
    nodeId,
    product,
    baseUrl,
    port,
    pid: child.pid as number,
    logFile,
    get exited() {
      return exitValue !== null;
    },
    request: (p, options) => sendRequest(`${baseUrl}${p}`, options),
    kill(signal) {
      if (exitValue === null) child.kill(signal);
    },
    waitForExit: () => exited,
    stop() {
      stopping ??= (async () => {
        if (exitValue !== null) return exitValue;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      })();
      return stopping;
    },
    logTail: (lines = 40) => tail(logFile, lines),
    async ready() {
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (Date.now() < deadline) {
        if (exitValue !== null) throw new Error(`${nodeId} exited (${exitValue}) while starting:\n${tail(logFile, 40)}`);
        try {
          if ((await sendRequest(`${baseUrl}${READY_PATH[product]}`)).status === 200) return;
        } catch {
          // not listening yet
        }
        await delay(100);
      }
      throw new Error(`${nodeId} did not answer within ${START_TIMEOUT_MS} ms:\n${tail(logFile, 40)}`);
    },
  };
  return node;
}

/**
 * Starts a cluster: node1 first (it runs the migrations on the empty database), then the
 * others in parallel; resolves when every node answers `GET /rest/api/2/serverInfo` (Jira)
 * or `GET /rest/api/user/anonymous` (Confluence), and, with a balancer, when HAProxy sees every
 * node UP. CONTEXT_PATH is the default; BASE_URL is the balancer's address when there is one.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const product = options.product ?? 'jira';
  const contextPath = product === 'jira' ? '/jira' : '/confluence';
  const defaultDb = SERVER_DATABASE_KINDS.includes('mariadb') || SERVER_DATABASE_KINDS.length === 0 ? 'mariadb' : 'postgres';
  const database: TestDatabase | null = options.dbUrl ? null : await createTestDatabase(options.db ?? defaultDb);
  const dbUrl = options.dbUrl ?? (database as TestDatabase).url;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-cluster-'));
  const ports = new Map<string, number>();
  for (let i = 1; i <= options.nodes; i++) ports.set(`node${i}`, await freePort());
  const balancerPort = options.balancer ? await freePort() : 0;
  const env: Record<string, string> = {
    PRODUCT: product,
    DB_URL: dbUrl,
    LOG_LEVEL: 'warn',
    DEV_MODE: 'true',
    NODE_ENV: 'test',
    PLUGIN_DESCRIPTORS: (options.descriptors ?? [PLUGIN_DESCRIPTOR]).join(','),
    ...(options.balancer ? { BASE_URL: `http://127.0.0.1:${balancerPort}${contextPath}`, HOSTSIM_SYSPROPS: 'hostsim.trusted.proxies=127.0.0.1' } : {}),
    ...(options.env ?? {}),
  };
  if (options.balancer && options.env?.HOSTSIM_SYSPROPS) env.HOSTSIM_SYSPROPS = `hostsim.trusted.proxies=127.0.0.1,${options.env.HOSTSIM_SYSPROPS}`;
  const nodes: Spawned[] = [];
  let haproxy: RunningHaproxy | null = null;
  let balancer: ClusterBalancer | null = null;
  let stopped: Promise<void> | null = null;
  const cluster: Cluster = {
    nodes,
    dbUrl,
    get balancer() {
      return balancer;
    },
    logTails: (lines = 40) => nodes.map((n) => `----- ${n.nodeId} (pid ${n.pid}, ${n.baseUrl}) -----\n${n.logTail(lines)}`).join('\n')
      + (haproxy ? `\n----- HAProxy (${haproxy.url}) -----\n${haproxy.logLines().filter((l) => !l.startsWith('req ')).slice(-lines).join('\n')}` : ''),
    async restart(node) {
      const index = nodes.findIndex((n) => n.nodeId === node.nodeId);
      if (index < 0) throw new Error(`${node.nodeId} is not a node of this cluster`);
      if (!nodes[index].exited) throw new Error(`${node.nodeId} is still running`);
      const again = spawnNode(node.nodeId, product, node.port, env, dir);
      nodes[index] = again;
      await again.ready();
      return again;
    },
    stop() {
      stopped ??= (async () => {
        try {
          await haproxy?.stop();
          await Promise.all(nodes.map((n) => n.stop()));
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
          await database?.drop();
        }
      })();
      return stopped;
    },
  };
  // A node's port is chosen before node1 starts; a parallel test file may take it meanwhile
  // (freePort releases it). Such a node gets another free port and starts again, in its place.
  const startNode = async (nodeId: string): Promise<void> => {
    const index = nodes.length;
    for (let attempt = 1; ; attempt++) {
      const node = spawnNode(nodeId, product, ports.get(nodeId) as number, env, dir);
      nodes[index] = node;
      try {
        await node.ready();
        return;
      } catch (err) {
        if (attempt >= 3 || !/port is already in use/.test(String(err))) throw err;
        ports.set(nodeId, await freePort());
      }
    }
  };
  try {
    await startNode('node1');
    const others: Array<Promise<void>> = [];
    for (let i = 2; i <= options.nodes; i++) others.push(startNode(`node${i}`));
    await Promise.all(others);
    if (options.balancer) {
      const check = typeof options.balancer === 'object' ? options.balancer.check : undefined;
      const started = await startHaproxy({
        dir: path.join(dir, 'haproxy'), port: balancerPort, contextPath, check,
        nodes: [...ports].map(([name, port]) => ({ name, port })),
      });
      haproxy = started;
      const baseUrl = started.url;
      balancer = {
        baseUrl,
        port: balancerPort,
        request: (p, requestOptions) => sendRequest(`${baseUrl}${p}`, requestOptions),
        serverStates: () => started.serverStates(),
        serverStats: () => started.serverStats(),
        requestLog: () => started.logLines().map(parseRequestLine).filter((r): r is BalancedRequest => r !== null),
        messages: () => started.logLines().filter((l) => !l.startsWith('req ')),
      };
      await until(async () => Object.values(await started.serverStates()).every((state) => state === 'UP'), 20_000, 100);
    }
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

const REQUEST_LINE = /^req server=(\S+) status=(-?\d+) term=(\S+) id=\{?([^}]*)\}?$/;

function parseRequestLine(line: string): BalancedRequest | null {
  const m = REQUEST_LINE.exec(line);
  return m ? { server: m[1], status: Number(m[2]), termination: m[3], requestId: m[4] } : null;
}

/**
 * Mocha helper: starts the cluster in `before`, prints every node's log tail after a failed
 * test, stops it in `after`. Call inside `describe`; the returned function gives the cluster.
 */
export function useCluster(options: ClusterOptions): () => Cluster {
  let cluster: Cluster | null = null;
  before(async function () {
    this.timeout(START_TIMEOUT_MS * 2);
    cluster = await startCluster(options);
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed' && cluster) {
      console.log(`\nNode logs after the failed test "${this.currentTest.title}":\n${cluster.logTails()}\n`);
    }
  });
  after(async function () {
    this.timeout(STOP_TIMEOUT_MS + 10_000);
    await cluster?.stop();
  });
  return () => {
    if (!cluster) throw new Error('the cluster has not started (see the before hook)');
    return cluster;
  };
}

/** Basic credentials of the seeded system administrator. */
export const ADMIN: readonly [string, string] = ['admin', 'admin'];
