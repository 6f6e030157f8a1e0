// docs/plugin-development.md; docs/data-center.md: a `runOncePerCluster` job runs once across the cluster (DB lock rows), while a
// per-node job runs on every node. The cluster probe plugin (fixtures/cluster-probe) inserts
// one row per run (job, node, start), so runs are counted exactly, with no lost updates.
import path from 'node:path';
import { expect } from 'chai';
import { ADMIN, until, useCluster, type ClusterNode } from '../../support/cluster';
import { forEachServerDatabase } from '../../support/databases';

const PROBE_DESCRIPTOR = path.join(__dirname, 'fixtures', 'cluster-probe', 'atlassian-plugin.json');
const PROBE_KEY = 'com.example.hostsim.clusterprobe';
/** beat-job's interval in the probe's descriptor. */
const BEAT_INTERVAL_MS = 1500;
/** The scheduler's "same interval" rule: a cluster job runs again only after 80% of its interval. */
const SAME_INTERVAL_FRACTION = 0.8;

interface Run { id: number; jobKey: string; nodeId: string; started: number }

forEachServerDatabase('Cluster jobs', function (db) {
  this.timeout(40_000);
  const cluster = useCluster({ db, nodes: 3, product: 'jira', descriptors: [PROBE_DESCRIPTOR] });

  const runs = async (job: string): Promise<Run[]> => {
    const res = await cluster().nodes[0].request(`/rest/clusterprobe/1.0/runs?job=${encodeURIComponent(`${PROBE_KEY}:${job}`)}`);
    expect(res.status, res.text).to.equal(200);
    return res.json as Run[];
  };
  const runNow = async (node: ClusterNode, job: string): Promise<boolean> => {
    const res = await node.request(`/rest/hostsim/1.0/jobs/${encodeURIComponent(`${PROBE_KEY}:${job}`)}/run`, { method: 'POST', auth: ADMIN });
    expect(res.status, res.text).to.equal(200);
    return res.json.ran as boolean;
  };

  it('should run a once-per-cluster job exactly once when all three nodes are asked to run it at the same moment', async () => {
    const answers = await Promise.all(cluster().nodes.map((node) => runNow(node, 'slow-job')));
    expect(answers.filter(Boolean)).to.have.length(1);
    const recorded = await runs('slow-job');
    expect(recorded).to.have.length(1);
    expect(recorded[0].nodeId).to.equal(cluster().nodes[answers.indexOf(true)].nodeId);
  });

  it('should run a per-node job on every node (the probe counts every run)', async () => {
    const answers = await Promise.all(cluster().nodes.map((node) => runNow(node, 'every-node-job')));
    expect(answers).to.deep.equal([true, true, true]);
    const recorded = await runs('every-node-job');
    expect(recorded.map((r) => r.nodeId).sort()).to.deep.equal(['node1', 'node2', 'node3']);
  });

  it('should never start a scheduled once-per-cluster job twice within one interval although all three nodes schedule it', async () => {
    const recorded = await until(async () => {
      const rows = await runs('beat-job');
      return rows.length >= 4 ? rows : null;
    }, 20_000, 200);
    for (let i = 1; i < recorded.length; i++) {
      const gap = recorded[i].started - recorded[i - 1].started;
      // The row is written a moment after the scheduler's own timestamp (a lock UPDATE and an
      // INSERT later); 300 ms covers that on a busy machine, while a second run in the same
      // interval by another node would come 0–1200 ms after the first.
      expect(gap, `runs ${recorded[i - 1].id} (${recorded[i - 1].nodeId}) and ${recorded[i].id} (${recorded[i].nodeId})`)
        .to.be.at.least(BEAT_INTERVAL_MS * SAME_INTERVAL_FRACTION - 300);
    }
  });
});
