// A node that fell behind the change log reads the plugin states, licence states and clock offset
// again (its resync). That read was applied whenever it came back, even when a newer state had
// been applied meanwhile: a read started before this node's own change and answered after it put
// the older value back, for good (nothing announces it again). Seen in CI as the kill switch
// pulled on one node and the plugin enabled on another at once, with both in-process nodes
// behind after the event loop stalled: both ended enabled while the database held disabled.
// Every read now goes through NewestReload: only the newest read started is applied.
import { expect } from 'chai';
import type { HostRuntime } from '../../../host-sim/impl/HostRuntime';
import { forEachDatabase } from '../../support/databases';
import { HostCluster, waitFor } from './hostFixture';

const PLUGIN = 'com.example.p';

interface HeldRead {
  /** Resolves when the read has run and its answer is being held. */
  readonly engaged: Promise<void>;
  /** Hands the held (by then older) answer to the caller. */
  release(): void;
}

/** Runs the next read that `matches` at once but holds its answer until {@link HeldRead.release}. */
function holdNextRead(runtime: HostRuntime, matches: (sql: string, params: readonly unknown[]) => boolean): HeldRead {
  const db = runtime.db as unknown as { query: (sql: string, ...rest: unknown[]) => Promise<unknown> };
  const query = db.query.bind(db);
  let engage!: () => void;
  let release!: () => void;
  const engaged = new Promise<void>((resolve) => { engage = resolve; });
  const released = new Promise<void>((resolve) => { release = resolve; });
  let armed = true;
  db.query = (sql: string, ...rest: unknown[]) => {
    if (!armed || !matches(sql, (rest[0] ?? []) as readonly unknown[])) return query(sql, ...rest);
    armed = false;
    return query(sql, ...rest).then(async (answer) => {
      engage();
      await released;
      return answer;
    });
  };
  return { engaged, release };
}

/** Holds the event loop: no poll can run, the node falls behind its lag limit. */
function fallBehind(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) { /* hold the event loop */ }
}

interface StateUnderTest<T> {
  /** The state's own read. */
  matches(sql: string, params: readonly unknown[]): boolean;
  readonly before: T;
  readonly after: T;
  change(node: HostRuntime, value: T): Promise<void>;
  read(node: HostRuntime): T;
}

const STATES: Record<string, StateUnderTest<unknown>> = {
  'plugin state': {
    matches: (sql) => sql.startsWith('SELECT PLUGIN_KEY, ENABLED FROM HOST_PLUGIN_STATE'), before: true, after: false,
    change: (node, value) => node.pluginStates.setEnabled(PLUGIN, value as boolean),
    read: (node) => node.pluginStates.isEnabled(PLUGIN),
  },
  'licence state': {
    matches: (sql) => sql.startsWith('SELECT PLUGIN_KEY, LICENSE_STATE FROM HOST_PLUGIN_LICENSE'), before: 'valid', after: 'expired',
    change: (node, value) => node.licenses.setState(PLUGIN, value as 'valid' | 'expired'),
    read: (node) => node.licenses.getState(PLUGIN),
  },
  'clock offset': {
    matches: (sql, params) => sql.includes('FROM HOST_PROPERTY') && params[0] === 'clock.offset.millis', before: 0, after: 86_400_000,
    change: (node, value) => node.clock.setOffsetMillis(value as number),
    read: (node) => node.clock.getOffsetMillis(),
  },
};

forEachDatabase('A resync read answered after a newer state', (kind) => {
  let cluster: HostCluster;
  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  for (const [name, state] of Object.entries(STATES)) {
    it(`should keep the newer ${name} when the resync's older read comes back after it`, async function () {
      this.timeout(20_000);
      const a = await cluster.start({ nodeId: 'a', clusterPollIntervalMs: 100, clusterMaxLagMs: 1000 });
      await waitFor(() => a.clusterMessaging.isCurrent(), 3000, 'current after start');
      // Stored, not only the default of a missing row: the held read then has a value to put back.
      await state.change(a, state.before);
      expect(state.read(a)).to.deep.equal(state.before);

      const held = holdNextRead(a, state.matches);
      fallBehind(1300);
      // The next poll finds the node behind; its resync reads the table (the older value) and waits.
      await held.engaged;
      await state.change(a, state.after);
      await waitFor(() => JSON.stringify(state.read(a)) === JSON.stringify(state.after), 3000, 'own change applied');
      held.release();
      await waitFor(() => a.clusterMessaging.isCurrent(), 5000, 'current again after the resync');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(state.read(a), 'the newest state, as the database holds it').to.deep.equal(state.after);
    });
  }
});
