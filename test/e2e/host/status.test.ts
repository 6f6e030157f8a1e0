// GET /status for load balancers, as Jira answers it: {"state":"RUNNING"} 200, 503
// {"state":"ERROR"} while the database is unreachable, {"state":"STARTING"} 503 while the node
// starts; no authentication, and never the token filter's answer.
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../../host-sim/config';
import { createHostRuntime } from '../../../host-sim/impl/createHostRuntime';
import type { Database } from '../../../host-sim/impl/db/Database';
import { startHost } from '../../../host-sim/server';
import { createTestDatabase, forEachDatabase, type TestDatabase } from '../../support/databases';
import { PLUGIN_DESCRIPTOR, ROOT, sendRequest, startTestHost, type TestHost } from '../../support/hostServer';

/** A TCP proxy on 127.0.0.1 in front of the database that can be taken down and brought back on its port. */
class DatabaseProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async up(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => { client.destroy(); upstream.destroy(); });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function statusUntil(host: TestHost, status: number, timeoutMs = 10000): Promise<{ status: number; json: unknown; headers: Headers }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await host.request('/status');
    if (res.status === status || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
}

forEachDatabase('GET /status', (kind) => {
  let database: TestDatabase | null = null;
  let proxy: DatabaseProxy | null = null;
  let host: TestHost | null = null;

  afterEach(async () => {
    await host?.stop();
    await proxy?.down();
    await database?.drop();
    host = null;
    proxy = null;
    database = null;
  });

  /** A host on a database that `goDown` makes unreachable (SQLite: its connection closed; MariaDB/PostgreSQL: the proxy stopped). */
  async function startBehindOutage(): Promise<{ goDown(): Promise<void>; comeBack?: () => Promise<void> }> {
    const outage = await unreachableDatabase();
    // The outage is expected: keep its error lines off the test output.
    for (const t of (host as TestHost).runtime.logger.transports) t.silent = true;
    return outage;
  }

  async function unreachableDatabase(): Promise<{ goDown(): Promise<void>; comeBack?: () => Promise<void> }> {
    if (kind === 'sqlite') {
      host = await startTestHost({ dbKind: 'sqlite' });
      const driver = (host.runtime.db as unknown as Database).dataSource.driver as unknown as { databaseConnection: { close(): void } };
      return { goDown: async () => driver.databaseConnection.close() };
    }
    database = await createTestDatabase(kind);
    const url = new URL(database.url);
    const p = new DatabaseProxy({ host: url.hostname, port: Number(url.port) });
    proxy = p;
    await p.up();
    url.port = String(p.port);
    host = await startTestHost({ dbUrl: url.toString() });
    return { goDown: () => p.down(), comeBack: () => p.up() };
  }

  it('should answer {"state":"RUNNING"} without authentication, whatever credentials come with it', async () => {
    host = await startTestHost({ dbKind: kind });
    for (const options of [{}, { bearer: 'apitok_bogus_token' }, { auth: ['admin', 'wrong-password'] as const }, { headers: { Cookie: 'JSESSIONID=nope' } }]) {
      const res = await host.request('/status', options);
      expect(res.status, JSON.stringify(options)).to.equal(200);
      expect(res.json).to.deep.equal({ state: 'RUNNING' });
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      expect(res.headers.get('cache-control')).to.equal('no-store');
    }
    // Only under the context path, as in Jira.
    expect((await sendRequest(`http://127.0.0.1:${host.port}/status`)).status).to.equal(404);
  });

  it('should answer 503 {"state":"ERROR"} while the database is unreachable', async () => {
    const outage = await startBehindOutage();
    const live = host as TestHost;
    expect((await live.request('/status')).json).to.deep.equal({ state: 'RUNNING' });
    await outage.goDown();
    const down = await statusUntil(live, 503);
    expect(down.status).to.equal(503);
    expect(down.json).to.deep.equal({ state: 'ERROR' });
    if (outage.comeBack) {
      await outage.comeBack();
      const back = await statusUntil(live, 200);
      expect(back.json).to.deep.equal({ state: 'RUNNING' });
    }
  });
});

describe('GET /status while the node starts', function () {
  this.timeout(30000);

  it('should answer 503 {"state":"STARTING"} until the node runs', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostsim-status-'));
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: String(port), DATA_DIR: dataDir }, ROOT);
    let during: { status: number; json: unknown } | null = null;
    const running = await startHost(config, {
      descriptorPaths: [PLUGIN_DESCRIPTOR],
      createRuntime: async (bound, options) => {
        during = await sendRequest(`http://127.0.0.1:${port}/jira/status`, { bearer: 'apitok_bogus_token' });
        return createHostRuntime(bound, options);
      },
    });
    try {
      expect(during).to.deep.include({ status: 503, json: { state: 'STARTING' } });
      expect((await sendRequest(`${running.url.replace('localhost', '127.0.0.1')}/status`)).json).to.deep.equal({ state: 'RUNNING' });
    } finally {
      await running.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
