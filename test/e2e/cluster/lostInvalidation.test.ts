// docs/data-center.md "How long a node may trust its cache": a revocation commits, then its
// invalidation cannot be written to the change log (the database gone for a moment), and the
// node that made it stops before the database is back. The invalidation was retried only while
// that node ran, so the other nodes went on accepting the revoked token from their caches for
// as long as they ran (noticed in the lifecycle attack review of 2026-12-02). Every cached
// credential and setting now has an age limit (`apitokenauth.cacheMaxAgeSeconds`): the write to
// the change log is blocked here by a trigger, so the loss happens deterministically.
import { expect } from 'chai';
import { until } from '../../support/cluster';
import { createTestDatabase, forEachServerDatabase, type TestDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';
import { API } from '../plugin/support/e2eHost';
import { changeLogTrigger } from './support/changeLogTrigger';
import { pause, statusOf } from './support/statusOf';

const MAX_AGE_SECONDS = 2;
const ENV = { HOSTSIM_SYSPROPS: `apitokenauth.cacheMaxAgeSeconds=${MAX_AGE_SECONDS}` };
const ADMIN = ['admin', 'admin'] as const;

forEachServerDatabase('A revocation whose invalidation never left its node', function (kind) {
  this.timeout(90_000);
  let db: TestDatabase;
  let node1: TestHost;
  let node2: TestHost;

  before(async () => {
    db = await createTestDatabase(kind);
    node1 = await startTestHost({ product: 'jira', dbUrl: db.url, nodeId: 'node1', env: ENV });
    node2 = await startTestHost({ product: 'jira', dbUrl: db.url, nodeId: 'node2', env: ENV });
  });
  after(async () => {
    if (db) await changeLogTrigger(db.url, 'unblock').catch(() => undefined);
    await node2?.stop();
    await node1?.stop();
    await db?.drop();
  });

  it('should refuse the revoked token on the other node within the cache age limit after the revoking node stopped', async () => {
    const created = await node1.request(`${API}/user/token`, { method: 'POST', auth: ADMIN, body: { tokenDescription: 'lost invalidation' } });
    expect(created.status, created.text).to.equal(200);
    const token = String(created.json.plainTextToken);
    await pause(1000); // node2 has read the creation's message
    expect(await statusOf(node2.request('/rest/api/2/myself', { bearer: token }))).to.equal(200);

    await changeLogTrigger(db.url, 'block');
    try {
      const revoked = await node1.request(`${API}/user/token/${Number(created.json.id)}`, { method: 'DELETE', auth: ADMIN });
      // The delete committed; its invalidation could not be written, which the caller is told
      // (a database that cannot be reached answers 503; the trigger's error is an unexpected one).
      expect(revoked.status, revoked.text).to.be.oneOf([500, 503]);
      expect(await statusOf(node1.request('/rest/api/2/myself', { bearer: token }))).to.equal(401);
      // node2 still answers from its cache: nothing told it.
      expect(await statusOf(node2.request('/rest/api/2/myself', { bearer: token }))).to.equal(200);
      // node1 stops with the invalidation undelivered (its last attempt at close fails too).
      await node1.stop();
    } finally {
      await changeLogTrigger(db.url, 'unblock');
    }
    // Within the age limit (and the change log's poll), node2 reads the row again: it is gone.
    await until(async () => (await statusOf(node2.request('/rest/api/2/myself', { bearer: token }))) === 401, (MAX_AGE_SECONDS + 3) * 1000, 200);
  });
});
