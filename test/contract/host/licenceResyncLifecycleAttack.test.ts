// A node that fell behind the change log reloads licence and plugin states when it reads it again
// (docs/data-center.md). A reload that fails must not leave the node answering from the states it
// had before: it stays behind (503 for credentials) and tries again, instead of admitting tokens
// of a plugin whose licence was removed meanwhile.
import { expect } from 'chai';
import type { Database } from '../../../host-sim/impl/db/Database';
import type { HostRuntime } from '../../../host-sim/impl/HostRuntime';
import { forEachDatabase } from '../../support/databases';
import { HostCluster, waitFor } from './hostFixture';

const PLUGIN = 'com.example.p';

/** Fails the next `count` reads of `table` on this node, as a database that is back but still refuses a statement. */
function failReadsOf(runtime: HostRuntime, table: string, count: number): void {
  const db = runtime.db as unknown as { query: (sql: string, ...rest: unknown[]) => Promise<unknown> };
  const query = db.query.bind(db);
  let left = count;
  db.query = (sql: string, ...rest: unknown[]) => {
    if (left > 0 && sql.includes(table) && sql.trimStart().toUpperCase().startsWith('SELECT')) {
      left--;
      return Promise.reject(new Error(`simulated failure reading ${table}`));
    }
    return query(sql, ...rest);
  };
}

/** Writes a host state row without announcing it, as if its change-log message had been pruned. */
async function upsertSilently(runtime: HostRuntime, table: string, values: readonly [string, string | number]): Promise<void> {
  const db = runtime.db as unknown as Database;
  const column = table === 'HOST_PLUGIN_LICENSE' ? 'LICENSE_STATE' : 'ENABLED';
  await db.execute(db.sql.upsert(table, ['PLUGIN_KEY'], ['PLUGIN_KEY', column, 'UPDATED'], [column, 'UPDATED']), [...values, Date.now()]);
}

/** Holds the event loop: no poll can run, the node falls behind its lag limit. */
function fallBehind(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* hold the event loop */ }
}

forEachDatabase('Licence and plugin states after a failed resync', (kind) => {
  let cluster: HostCluster;
  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  it('should not count as current with a licence state it could not reload, and reload it on the next poll', async () => {
    const a = await cluster.start({ nodeId: 'a', clusterPollIntervalMs: 100, clusterMaxLagMs: 1000 });
    await waitFor(() => a.clusterMessaging.isCurrent(), 1000, 'current after start');
    expect(a.licenses.getState(PLUGIN)).to.equal('valid');
    // The licence is removed and its message lost to this node (pruned while it was behind).
    await upsertSilently(a, 'HOST_PLUGIN_LICENSE', [PLUGIN, 'none']);
    failReadsOf(a, 'HOST_PLUGIN_LICENSE', 1);
    fallBehind(1300);
    expect(a.clusterMessaging.isCurrent()).to.equal(false);
    await waitFor(() => a.clusterMessaging.isCurrent(), 3000, 'current again');
    expect(a.licenses.getState(PLUGIN), 'current only with the reloaded licence').to.equal('none');
  });

  it('should not count as current with a plugin state it could not reload', async () => {
    const a = await cluster.start({ nodeId: 'a', clusterPollIntervalMs: 100, clusterMaxLagMs: 1000 });
    await waitFor(() => a.clusterMessaging.isCurrent(), 1000, 'current after start');
    expect(a.pluginStates.isEnabled(PLUGIN)).to.equal(true);
    await upsertSilently(a, 'HOST_PLUGIN_STATE', [PLUGIN, 0]);
    failReadsOf(a, 'HOST_PLUGIN_STATE', 1);
    fallBehind(1300);
    await waitFor(() => a.clusterMessaging.isCurrent(), 3000, 'current again');
    expect(a.pluginStates.isEnabled(PLUGIN), 'current only with the reloaded plugin state').to.equal(false);
  });
});
