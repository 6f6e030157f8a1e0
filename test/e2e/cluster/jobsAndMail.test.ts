// docs/jobs-and-mail.md; docs/data-center.md: three node processes on one MariaDB database, mails over real SMTP. When all
// nodes race the expiry job, exactly one mail per token and mark arrives; when two nodes see
// the same new IP, the owner gets one mail.
import { expect } from 'chai';
import { ADMIN, startCluster, until, type Cluster, type ClusterNode } from '../../support/cluster';
import { getFrom, startSmtpSink, type SmtpSink } from '../../support/smtpSink';
import { forEachServerDatabase } from '../../support/databases';

const DAY = 24 * 60 * 60 * 1000;
const PLUGIN = 'de.resolution.apitokenauth';
const API = '/rest/de.resolution.apitokenauth/latest';

forEachServerDatabase('Token jobs and mails across a cluster', function (db) {
  this.timeout(60_000);
  let sink: SmtpSink;
  let cluster: Cluster;
  let offset = 0;
  const nodes = (): readonly ClusterNode[] => cluster.nodes;

  before(async function () {
    this.timeout(150_000);
    sink = await startSmtpSink();
    cluster = await startCluster({ db, nodes: 3, product: 'jira', env: { SMTP_URL: sink.url } });
    const res = await nodes()[0].request('/rest/api/2/user', {
      method: 'POST', auth: ADMIN, body: { name: 'erin', password: 'erin-pw-1', emailAddress: 'erin@example.com', displayName: 'Erin' },
    });
    expect(res.status, res.text).to.equal(201);
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed' && cluster) console.log(`\nNode logs:\n${cluster.logTails()}\n`);
  });
  after(async function () {
    this.timeout(40_000);
    await cluster?.stop();
    await sink?.close();
  });

  const runJob = async (node: ClusterNode, job: string): Promise<boolean> => {
    const res = await node.request(`/rest/hostsim/1.0/jobs/${encodeURIComponent(`${PLUGIN}:${job}`)}/run`, { method: 'POST', auth: ADMIN });
    expect(res.status, res.text).to.equal(200);
    return res.json.ran as boolean;
  };
  /** Moves the cluster clock on node1 and waits until every node uses the new offset. */
  const moveClock = async (by: number): Promise<void> => {
    offset += by;
    const res = await nodes()[0].request('/rest/hostsim/1.0/clock', { method: 'PUT', auth: ADMIN, body: { offsetMillis: offset } });
    expect(res.status, res.text).to.equal(200);
    await until(async () => {
      const seen = await Promise.all(nodes().map(async (n) => (await n.request('/rest/hostsim/1.0/clock', { auth: ADMIN })).json.offsetMillis));
      return seen.every((o) => o === offset);
    }, 5_000, 50);
  };
  const createToken = async (node: ClusterNode, body: Record<string, unknown>): Promise<{ id: number; plainTextToken: string }> => {
    const res = await node.request(`${API}/user/token`, { method: 'POST', auth: ['erin', 'erin-pw-1'], body });
    expect(res.status, res.text).to.equal(200);
    return res.json;
  };
  const subjects = () => sink.to('erin@example.com').map((m) => m.subject);

  it('should deliver exactly one mail per token and mark when three nodes race the expiry job', async () => {
    const now = (await nodes()[0].request('/rest/hostsim/1.0/clock', { auth: ADMIN })).json.now as number;
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createToken(nodes()[i], { tokenDescription: `Race ${i}`, tokenExpirationDateTimeMillis: now + 10 * DAY })).id);

    await moveClock(3 * DAY + 60_000);
    const first = await Promise.all(nodes().map((n) => runJob(n, 'expiry-warning-job')));
    expect(first.filter(Boolean).length).to.be.at.least(1);
    for (const n of nodes()) await runJob(n, 'expiry-warning-job');
    await sink.waitFor('erin@example.com', 3);

    await moveClock(6 * DAY);
    await Promise.all(nodes().map((n) => runJob(n, 'expiry-warning-job')));
    await Promise.all(nodes().map((n) => runJob(n, 'expiry-warning-job')));
    await sink.waitFor('erin@example.com', 6);
    // Late duplicates would arrive within the SMTP round trip; give them the chance to.
    await new Promise((r) => setTimeout(r, 500));
    const got = subjects();
    expect(got).to.have.length(6);
    for (let i = 0; i < 3; i++) {
      expect(got.filter((s) => s === `Your API token "Race ${i}" expires in 7 days`), `7-day mail of Race ${i}`).to.have.length(1);
      expect(got.filter((s) => s === `Your API token "Race ${i}" expires within a day`), `1-day mail of Race ${i}`).to.have.length(1);
    }
    expect(ids).to.have.length(3);
  });

  it('should send one new-IP mail when two nodes see the same new address', async () => {
    sink.received.length = 0;
    const { plainTextToken } = await createToken(nodes()[0], { tokenDescription: 'Shared runner' });
    const path = '/rest/api/2/myself';
    expect(await getFrom('127.0.0.1', `${nodes()[0].baseUrl}${path}`, ['erin', plainTextToken])).to.equal(200);
    await runJob(nodes()[0], 'new-ip-alert-job');
    expect(await getFrom('127.0.0.3', `${nodes()[1].baseUrl}${path}`, ['erin', plainTextToken])).to.equal(200);
    expect(await getFrom('127.0.0.3', `${nodes()[2].baseUrl}${path}`, ['erin', plainTextToken])).to.equal(200);
    await Promise.all(nodes().map((n) => runJob(n, 'new-ip-alert-job')));
    await sink.waitFor('erin@example.com', 1);
    await new Promise((r) => setTimeout(r, 500));
    expect(subjects()).to.deep.equal(['Your API token "Shared runner" was used from a new IP address']);
  });
});
