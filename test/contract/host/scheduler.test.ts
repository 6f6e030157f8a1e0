import { expect } from 'chai';
import type { HostError } from '../../../host-sim/impl/HostError';
import type { JobContext } from '../../../host-sim/spi';
import { forEachDatabase } from '../../support/databases';
import { HostCluster, waitFor } from './hostFixture';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

forEachDatabase('DefaultHostScheduler', (kind) => {
  let cluster: HostCluster;

  beforeEach(async () => { cluster = await HostCluster.create(kind); });
  afterEach(async () => { await cluster.cleanup(); });

  it('should run a cluster-wide job once per interval although three nodes race for it', async () => {
    const nodes = [await cluster.start(), await cluster.start(), await cluster.start()];
    const runs: string[] = [];
    const interval = 400;
    // Start the three timers within a few milliseconds of each other, as nodes started together would.
    nodes.forEach((node) => node.scheduler.schedule('p:cleanup', { intervalMs: interval }, async () => {
      runs.push(node.config.nodeId);
      await sleep(20);
    }));
    // 3.5 intervals: three timer firings on each node, nine in all, and three runs.
    await sleep(interval * 3.5);
    for (const node of nodes) node.scheduler.stopAll();
    await Promise.all(nodes.map((n) => n.scheduler.idle()));
    // Some slack for timer drift on a loaded machine; a run per node and interval would give 9.
    expect(runs.length).to.be.within(2, 4);
  });

  it('should let another node take over a cluster job whose holder died mid-run once its lock lease has run out', async () => {
    const props = { systemProperties: { 'hostsim.scheduler.minLeaseMs': '1000' } };
    const [a, b] = [await cluster.start({ ...props, nodeId: 'node-a' }), await cluster.start({ ...props, nodeId: 'node-b' })];
    const runs: Array<{ node: string; at: number }> = [];
    let releaseA!: () => void;
    const hangA = new Promise<void>((resolve) => { releaseA = resolve; });
    a.scheduler.schedule('p:hang', { intervalMs: 200 }, async () => {
      runs.push({ node: 'a', at: Date.now() });
      await hangA;
    });
    await waitFor(() => runs.length === 1, 3000, 'node-a to run the job');
    // node-a "dies": no timer of it fires again, and its run never ends, so its lock is never released.
    a.scheduler.stopAll();
    b.scheduler.schedule('p:hang', { intervalMs: 200 }, async () => { runs.push({ node: 'b', at: Date.now() }); });
    try {
      await waitFor(() => runs.some((r) => r.node === 'b'), 5000, 'node-b to take over');
      const waited = (runs.find((r) => r.node === 'b') as { at: number }).at - runs[0].at;
      // lease = max(2 × 200 ms, minLeaseMs 1000 ms)
      expect(waited).to.be.within(1000 - 50, 1000 + 200 + 800);
    } finally {
      b.scheduler.stopAll();
      releaseA();
    }
  });

  it('should refuse a minimum job lease outside 1 s – 15 min', async () => {
    let error: unknown;
    try {
      await cluster.start({ systemProperties: { 'hostsim.scheduler.minLeaseMs': '10' } });
    } catch (err) {
      error = err;
    }
    expect((error as Error).message).to.match(/hostsim\.scheduler\.minLeaseMs .* not "10"/);
  });

  it('should run a per-node job on every node', async () => {
    const nodes = [await cluster.start(), await cluster.start()];
    const runs = new Set<string>();
    nodes.forEach((node) => node.scheduler.schedule('p:flush', { intervalMs: 100, runOncePerCluster: false }, async () => {
      runs.add(node.config.nodeId);
    }));
    await waitFor(() => runs.size === 2, 2000, 'both nodes');
    expect([...runs].sort()).to.deep.equal(['node-1', 'node-2']);
  });

  it('should run a job now unless another node holds its lock', async () => {
    const a = await cluster.start();
    const b = await cluster.start();
    const contexts: JobContext[] = [];
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => { release = resolve; });
    a.scheduler.schedule('p:job', { intervalMs: 3_600_000 }, async (ctx) => { contexts.push(ctx); await blocked; });
    b.scheduler.schedule('p:job', { intervalMs: 3_600_000 }, async (ctx) => { contexts.push(ctx); });
    const running = a.scheduler.runNow('p:job');
    await waitFor(() => contexts.length === 1, 2000, 'the first run to start');
    expect(await b.scheduler.runNow('p:job')).to.equal(false);
    release();
    expect(await running).to.equal(true);
    expect(await b.scheduler.runNow('p:job')).to.equal(true);
    expect(contexts.map((c) => c.jobKey)).to.deep.equal(['p:job', 'p:job']);
    expect(contexts[0].startedAt).to.be.a('number');
  });

  it('should list, unschedule by prefix and refuse unknown jobs', async () => {
    const a = await cluster.start();
    a.scheduler.schedule('one:a', { intervalMs: 60_000 }, async () => undefined);
    a.scheduler.schedule('one:b', { intervalMs: 60_000 }, async () => undefined);
    a.scheduler.schedule('two:a', { intervalMs: 60_000 }, async () => undefined);
    expect(a.scheduler.jobKeys()).to.deep.equal(['one:a', 'one:b', 'two:a']);
    a.scheduler.unscheduleByPrefix('one:');
    expect(a.scheduler.jobKeys()).to.deep.equal(['two:a']);
    a.scheduler.unschedule('two:a');
    let thrown: unknown;
    try { await a.scheduler.runNow('two:a'); } catch (err) { thrown = err; }
    expect((thrown as HostError).code).to.equal('JOB_NOT_FOUND');
  });

  it('should report a failing job to runNow and keep its lock free afterwards', async () => {
    const a = await cluster.start();
    let calls = 0;
    a.scheduler.schedule('p:fails', { intervalMs: 3_600_000 }, async () => { calls++; throw new Error('job failed'); });
    let thrown: unknown;
    try { await a.scheduler.runNow('p:fails'); } catch (err) { thrown = err; }
    expect((thrown as Error).message).to.equal('job failed');
    expect(await a.clusterLocks.tryLock('job:p:fails')).not.to.equal(null);
    expect(calls).to.equal(1);
  });
});
