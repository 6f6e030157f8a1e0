import { expect } from 'chai';
import net from 'node:net';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import type { Database } from '../../../host-sim/impl/db/Database';
import type { HostRuntime } from '../../../host-sim/impl/HostRuntime';
import { isServiceUnavailable } from '../../../host-sim/spi';
import { forEachDatabase } from '../../support/databases';
import { HostCluster, waitFor } from './hostFixture';

/** A TCP proxy on 127.0.0.1 in front of MariaDB or PostgreSQL that can be taken down and brought back on its port. */
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

async function outcome(fn: () => Promise<unknown>): Promise<'ok' | 'unavailable' | 'other'> {
  try {
    await fn();
    return 'ok';
  } catch (err) {
    return isServiceUnavailable(err) ? 'unavailable' : 'other';
  }
}

forEachDatabase('Database outage', (kind) => {
  let cluster: HostCluster;
  let proxy: DatabaseProxy | null = null;

  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => {
    await proxy?.down();
    proxy = null;
    await cluster.cleanup();
  });

  async function startBehindOutage(): Promise<{ runtime: HostRuntime; goDown(): Promise<void>; comeBack(): Promise<void> }> {
    if (kind === 'sqlite') {
      const runtime = await cluster.start();
      const driver = (runtime.db as Database).dataSource.driver as unknown as { databaseConnection: { close(): void } };
      return { runtime, goDown: async () => driver.databaseConnection.close(), comeBack: async () => undefined };
    }
    const url = new URL(cluster.db.url);
    proxy = new DatabaseProxy({ host: url.hostname, port: Number(url.port) });
    await proxy.up();
    url.port = String(proxy.port);
    const runtime = await cluster.start({ dbUrl: url.toString() });
    const p = proxy;
    return { runtime, goDown: () => p.down(), comeBack: () => p.up() };
  }

  it('should throw ServiceUnavailableError while the database is gone and recover by itself', async () => {
    const { runtime, goDown, comeBack } = await startBehindOutage();
    const settings = runtime.servicesForPlugin({ pluginKey: 'p', aoPrefix: 'AO_5D4005' }).pluginSettings;
    await settings.put('k', 'before');
    expect(runtime.db.isAvailable()).to.equal(true);

    await goDown();
    expect(await outcome(() => settings.get('k'))).to.equal('unavailable');
    expect(runtime.db.isAvailable()).to.equal(false);
    expect(await outcome(() => runtime.users.getUserByKey('JIRAUSER99999'))).to.equal('unavailable');
    expect(await outcome(() => runtime.audit.record({ action: 'a', summary: 's', category: 'c', author: null }))).to.equal('unavailable');
    expect(await outcome(() => runtime.servicesForPlugin({ pluginKey: 'p', aoPrefix: 'AO_5D4005' }).activeObjects
      .executeInTransaction(async (tx) => tx.count('Anything')))).to.equal('unavailable');

    await comeBack();
    await waitFor(() => runtime.db.isAvailable(), 5000, 'the database probe to succeed');
    expect(await settings.get('k')).to.equal('before');
    await settings.put('k', 'after');
    expect(await settings.get('k')).to.equal('after');
  });

  it('should keep answering from the cache what it has cached while the database is gone', async () => {
    const { runtime, goDown } = await startBehindOutage();
    expect(await runtime.users.getUserByName('admin')).to.include({ key: 'admin' });
    await goDown();
    expect(await runtime.users.getUserByName('admin')).to.include({ key: 'admin' });
  });

  if (kind !== 'sqlite') {
    /** Ends every server connection to the test database except the killer's own (MariaDB KILL, pg_terminate_backend). */
    async function killConnections(): Promise<number> {
      const url = new URL(cluster.db.url);
      const database = decodeURIComponent(url.pathname.slice(1));
      const credentials = { host: url.hostname, port: Number(url.port), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
      if (kind === 'postgres') {
        const admin = new Client({ ...credentials, database: 'postgres' });
        await admin.connect();
        try {
          const res = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
          return res.rowCount ?? 0;
        } finally {
          await admin.end();
        }
      }
      const admin = await createConnection(credentials);
      try {
        const [rows] = await admin.query('SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [database]);
        for (const row of rows as Array<{ ID: number }>) await admin.query(`KILL ${Number(row.ID)}`);
        return (rows as unknown[]).length;
      } finally {
        await admin.end();
      }
    }

    it('should replace pooled connections the server killed, retrying reads (never writes) transparently', async () => {
      const runtime = await cluster.start();
      const settings = runtime.servicesForPlugin({ pluginKey: 'p', aoPrefix: 'AO_5D4005' }).pluginSettings;
      await settings.put('k', 'v');
      expect(await killConnections()).to.be.greaterThan(0);
      // Reads find their way past the dead connections on their own.
      expect(await settings.get('k')).to.equal('v');
      expect(await runtime.users.findUsersByEmail('x@example.com')).to.deep.equal([]);
      expect(await runtime.servicesForPlugin({ pluginKey: 'p', aoPrefix: 'AO_5D4005' }).activeObjects
        .executeInTransaction(async () => 'began on a live connection')).to.equal('began on a live connection');
      expect(runtime.db.isAvailable()).to.equal(true);
      await settings.put('k', 'w');
      expect(await settings.get('k')).to.equal('w');
    });
  }
});
