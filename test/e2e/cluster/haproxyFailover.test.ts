// Data Center as operators run it (issue 16): three node processes on one MariaDB or PostgreSQL
// database behind a real HAProxy that health-checks each node's GET /status. Token requests go
// through the balancer while a node is SIGKILLed and later restarted; revocations, settings, the
// CAPTCHA counter and jobs are checked through the balancer and on the survivors.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { expect } from 'chai';
import { ADMIN, until, useCluster, type ClusterNode } from '../../support/cluster';
import { SERVER_DATABASE_KINDS } from '../../support/databases';
import { PLUGIN_DESCRIPTOR } from '../../support/hostServer';
import { createToken, createUser, myself, PROPAGATION_MS, TOKEN_API, waitForTokenApi } from './support/clusterApi';

const PROBE_DESCRIPTOR = path.join(__dirname, 'fixtures', 'cluster-probe', 'atlassian-plugin.json');
const PROBE_KEY = 'com.example.hostsim.clusterprobe';
/** The shortest job-lock lease for these nodes (hostsim.scheduler.minLeaseMs; the default is 30 s). */
const MIN_LEASE_MS = 3000;
/** hang-job's and beat-job's intervals in the probe's descriptor. */
const HANG_INTERVAL_MS = 1000;
const BEAT_INTERVAL_MS = 1500;
/** Health checks every 250 ms; two failed checks take a node out, two passed ones put it back. */
const CHECK = { interval: 250, fall: 2, rise: 2 };
/** The load: at most this many token requests, paced at {@link LOAD_RATE} per second by {@link LOAD_WORKERS} clients. */
const LOAD_MAX_REQUESTS = 8000;
const LOAD_MIN_REQUESTS = 2500;
const LOAD_RATE = 200;
const LOAD_WORKERS = 12;
const REVOCATIONS = 50;
const CAPTCHA_REASON = /^CAPTCHA_CHALLENGE; login-url=/;

interface Sent {
  readonly id: string;
  readonly started: number;
  ended: number;
  /** HTTP status, or 0 for a connection error. */
  status: number;
  servedBy: string | null;
}

interface Run { id: number; jobKey: string; nodeId: string; started: number }

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

for (const kind of SERVER_DATABASE_KINDS) {
  describe(`Three nodes behind HAProxy under load (${kind})`, function () {
    this.timeout(180_000);
    const cluster = useCluster({
      nodes: 3, product: 'jira', db: kind, balancer: { check: CHECK }, descriptors: [PLUGIN_DESCRIPTOR, PROBE_DESCRIPTOR],
      env: { HOSTSIM_SYSPROPS: `hostsim.scheduler.minLeaseMs=${MIN_LEASE_MS}` },
    });
    const balancer = () => {
      const b = cluster().balancer;
      if (!b) throw new Error('the cluster has no balancer');
      return b;
    };
    const node = (nodeId: string): ClusterNode => cluster().nodes.find((n) => n.nodeId === nodeId) as ClusterNode;
    const states = () => balancer().serverStates();

    before(async () => {
      await waitForTokenApi(cluster().nodes[0]);
    });

    it('should lose only the requests in flight on a SIGKILLed node, take it out and put it back once restarted', async () => {
      const loader = await createUser(cluster().nodes[0], 'loader');
      const tokens: string[] = [];
      for (let i = 0; i < 6; i++) tokens.push((await createToken(cluster().nodes[i % 3], [loader.name, loader.password])).plainTextToken);

      /** Failed requests per node (HAProxy's eresp: a node closed the connection before its answer, or answered garbage). */
      const serverAborts = async (): Promise<Record<string, number>> => Object.fromEntries(
        Object.entries(await balancer().serverStats()).map(([name, row]) => [name, Number(row.eresp || 0)]));
      const statsBefore = await balancer().serverStats();
      const abortedBefore = await serverAborts();
      const sent: Sent[] = [];
      const inFlight = new Set<Sent>();
      let stopAfter = LOAD_MAX_REQUESTS;
      let next = 0;
      const t0 = performance.now();
      const worker = async (): Promise<void> => {
        for (;;) {
          const n = next++;
          if (n >= stopAfter) return;
          const due = t0 + (n * 1000) / LOAD_RATE;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          const request: Sent = { id: `load-${n}`, started: performance.now(), ended: 0, status: 0, servedBy: null };
          sent.push(request);
          inFlight.add(request);
          try {
            const res = await balancer().request('/rest/api/2/myself', { bearer: tokens[n % tokens.length], headers: { 'X-Request-Id': request.id } });
            request.status = res.status;
            request.servedBy = res.headers.get('x-served-by');
          } catch {
            // HAProxy closes the client connection of a request whose node died mid-request.
            request.status = 0;
          } finally {
            request.ended = performance.now();
            inFlight.delete(request);
          }
        }
      };
      const load = Promise.all(Array.from({ length: LOAD_WORKERS }, () => worker()));

      // A fifth of the way in, node2 dies without a shutdown.
      await until(() => sent.length >= LOAD_MIN_REQUESTS / 5, 30_000, 5);
      const victim = node('node2');
      const killedAt = performance.now();
      const inFlightAtKill = new Set([...inFlight].map((r) => r.id));
      victim.kill('SIGKILL');
      expect(await victim.waitForExit()).to.equal('SIGKILL');
      // The process dies a moment after the signal: requests sent until its exit is seen may still have reached it.
      const deadAt = performance.now();
      for (const r of sent) if (r.started < deadAt && (r.ended === 0 || r.ended > killedAt)) inFlightAtKill.add(r.id);
      await until(async () => (await states()).node2 === 'DOWN', 5000, 20);
      const outAfterMs = performance.now() - killedAt;

      const restarted = await cluster().restart(victim);
      const answeredAt = performance.now();
      await until(async () => (await states()).node2 === 'UP', 5000, 20);
      const backAfterMs = performance.now() - answeredAt;
      const rejoinedAt = performance.now();
      // The load goes on until the restarted node has served its share again.
      await until(() => sent.some((r) => r.started > rejoinedAt && r.servedBy === 'node2' && r.status === 200), 20_000, 20);
      stopAfter = Math.max(LOAD_MIN_REQUESTS, Math.min(LOAD_MAX_REQUESTS, next + LOAD_RATE));
      await load;
      expect(restarted.exited).to.equal(false);

      const failed = sent.filter((r) => r.status !== 200);
      const aborted = await serverAborts();
      console.log(`      ${kind}: ${sent.length} requests through HAProxy, ${failed.length} failed (HAProxy: ${aborted.node2 - abortedBefore.node2} answer errors on node2), ${inFlightAtKill.size} in flight while node2 died `
        + `(${(deadAt - killedAt).toFixed(0)} ms from SIGKILL to its exit); `
        + `node2 out of the balancer ${outAfterMs.toFixed(0)} ms after the kill, back ${backAfterMs.toFixed(0)} ms after it answered again`);
      // Every failure was in flight while node2 died (sent before its exit, not answered before the kill) ...
      for (const r of failed) expect(inFlightAtKill.has(r.id), `${r.id} (status ${r.status}) was not in flight while node2 died`).to.equal(true);
      // HAProxy saw no failed request on node1 or node3 (no answer error, no connection error, no abort): the failures were node2's.
      const statsAfter = await balancer().serverStats();
      for (const id of ['node1', 'node3']) {
        for (const counter of ['eresp', 'econ', 'srv_abrt']) {
          expect(Number(statsAfter[id][counter] || 0) - Number(statsBefore[id][counter] || 0), `${id} ${counter}`).to.equal(0);
        }
      }
      if (failed.length > 0) expect(aborted.node2 - abortedBefore.node2, 'failed requests HAProxy counts on node2').to.be.greaterThan(0);
      const served = (nodeId: string, from: number, to: number) => sent.filter((r) => r.servedBy === nodeId && r.started >= from && r.started < to).length;
      expect(served('node2', 0, killedAt), 'node2 before the kill').to.be.greaterThan(0);
      expect(served('node2', killedAt + outAfterMs, answeredAt), 'node2 while out').to.equal(0);
      expect(served('node2', rejoinedAt, Infinity), 'node2 after it rejoined').to.be.greaterThan(0);
    });

    it('should refuse a token revoked on one node through the balancer within 1 s (p50/p99 over 50 revocations)', async () => {
      const owner = await createUser(cluster().nodes[0], 'revoker');
      const auth = [owner.name, owner.password] as const;
      const lags: number[] = [];
      for (let i = 0; i < REVOCATIONS; i++) {
        const nodes = cluster().nodes;
        const revokingNode = nodes[i % nodes.length];
        const token = await createToken(revokingNode, auth);
        // Every node knows (caches) the token before it is revoked.
        for (const n of nodes) expect((await myself(n, token.plainTextToken)).status, `${n.nodeId} before`).to.equal(200);
        const res = await revokingNode.request(`${TOKEN_API}/user/token/${token.id}`, { method: 'DELETE', auth });
        expect(res.status, res.text).to.be.oneOf([200, 204]);
        const revokedAt = performance.now();
        // Through the balancer, a request may reach any node: the lag is until the last node refuses it.
        const refusedAt = await Promise.all(nodes.map(async (n) => {
          await until(async () => (await myself(n, token.plainTextToken)).status === 401, 5000, 5);
          return performance.now();
        }));
        lags.push(Math.max(...refusedAt) - revokedAt);
        for (let k = 0; k < nodes.length; k++) {
          expect((await balancer().request('/rest/api/2/myself', { bearer: token.plainTextToken })).status, 'through the balancer').to.equal(401);
        }
      }
      const sorted = [...lags].sort((a, b) => a - b);
      console.log(`      ${kind}: revoked token refused on every node after p50 ${percentile(sorted, 50).toFixed(0)} ms, `
        + `p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms (${REVOCATIONS} revocations)`);
      expect(percentile(sorted, 99)).to.be.below(PROPAGATION_MS);
    });

    it('should keep settings and the failed-login counter cluster-wide through the balancer', async () => {
      const put = await balancer().request(`${TOKEN_API}/admin/settings`, { method: 'PUT', auth: ADMIN, body: { maxTokensPerUser: 17 } });
      expect(put.status, put.text).to.equal(200);
      for (const n of cluster().nodes) {
        await until(async () => (await n.request(`${TOKEN_API}/admin/settings`, { auth: ADMIN })).json?.maxTokensPerUser === 17, PROPAGATION_MS);
      }
      const locky = await createUser(cluster().nodes[0], 'locky');
      // Three wrong passwords through the balancer reach three different nodes (round robin).
      const servedBy = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const res = await balancer().request('/rest/api/2/myself', { auth: [locky.name, 'wrong password'] });
        expect(res.status).to.equal(401);
        servedBy.add(String(res.headers.get('x-served-by')));
      }
      expect(servedBy.size, [...servedBy].join(', ')).to.equal(3);
      for (const n of cluster().nodes) {
        await until(async () => {
          const res = await n.request('/rest/api/2/myself', { auth: [locky.name, locky.password] });
          return res.status === 403 && CAPTCHA_REASON.test(res.headers.get('x-authentication-denied-reason') ?? '');
        }, PROPAGATION_MS);
      }
      expect((await balancer().request('/rest/api/2/myself', { auth: [locky.name, locky.password] })).status).to.equal(403);
      const reset = await balancer().request(`${TOKEN_API}/admin/settings`, { method: 'PUT', auth: ADMIN, body: { maxTokensPerUser: 100 } });
      expect(reset.status).to.equal(200);
    });

    it('should run a cluster job once per interval on the survivors, and let another node take over a dead holder\'s job lock after its lease', async () => {
      const runs = async (job: string): Promise<Run[]> => {
        const res = await balancer().request(`/rest/clusterprobe/1.0/runs?job=${encodeURIComponent(`${PROBE_KEY}:${job}`)}`);
        expect(res.status, res.text).to.equal(200);
        return res.json as Run[];
      };
      // node3 dies: beat-job goes on, once per interval, on node1 and node2.
      const node3 = node('node3');
      node3.kill('SIGKILL');
      await node3.waitForExit();
      const killedAt = Date.now();
      await until(async () => (await states()).node3 === 'DOWN', 5000, 20);
      const after = await until(async () => {
        const rows = (await runs('beat-job')).filter((r) => r.started > killedAt + MIN_LEASE_MS);
        return rows.length >= 3 ? rows : null;
      }, 20_000, 200);
      expect(new Set(after.map((r) => r.nodeId))).to.satisfy((set: Set<string>) => [...set].every((id) => id === 'node1' || id === 'node2'));
      for (let i = 1; i < after.length; i++) {
        expect(after[i].started - after[i - 1].started, `beat-job runs ${after[i - 1].id} and ${after[i].id}`).to.be.at.least(BEAT_INTERVAL_MS * 0.8 - 300);
      }

      // The next hang-job run (on whichever survivor wins the lock) never ends: its node then dies holding the lock.
      for (const id of ['node1', 'node2']) {
        expect((await node(id).request('/rest/clusterprobe/1.0/hang-next', { method: 'POST', auth: ADMIN })).status).to.equal(200);
      }
      const [hungMark] = await until(async () => {
        const marks = await runs('hang-job:hung');
        return marks.length > 0 ? marks : null;
      }, 10_000, 50);
      const hung = (await runs('hang-job')).filter((r) => r.nodeId === hungMark.nodeId && r.started <= hungMark.started).pop() as Run;
      const holder = node(hung.nodeId);
      holder.kill('SIGKILL');
      await holder.waitForExit();
      const survivor = hung.nodeId === 'node1' ? 'node2' : 'node1';
      const takeover = await until(async () => (await node(survivor).request(
        `/rest/clusterprobe/1.0/runs?job=${encodeURIComponent(`${PROBE_KEY}:hang-job`)}`)).json.find((r: Run) => r.id > hung.id) as Run | undefined ?? null,
      MIN_LEASE_MS + 10_000, 100);
      const waited = takeover.started - hung.started;
      console.log(`      ${kind}: ${hung.nodeId} died holding hang-job's lock; ${takeover.nodeId} ran it ${waited} ms after (lease ${MIN_LEASE_MS} ms)`);
      expect(takeover.nodeId).to.equal(survivor);
      expect(waited, 'not before the lease ran out').to.be.at.least(MIN_LEASE_MS - 200);
      expect(waited, 'soon after the lease ran out').to.be.below(MIN_LEASE_MS + HANG_INTERVAL_MS + 2000);
    });
  });
}
