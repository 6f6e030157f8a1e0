// docs/plugin-development.md; docs/data-center.md: the host clock offset moved through the dev toolbox on one node is seen by every
// node, and token expiry (checked against that clock on every request) follows it.
import { expect } from 'chai';
import { ADMIN, until, useCluster } from '../../support/cluster';
import { createToken, createUser, expectTokenStatus, PROPAGATION_MS, waitForTokenApi } from './support/clusterApi';
import { forEachServerDatabase } from '../../support/databases';

const DAY = 24 * 3600 * 1000;

forEachServerDatabase('Cluster clock', function (db) {
  this.timeout(40_000);
  const cluster = useCluster({ db, nodes: 2, product: 'jira' });

  const setOffset = async (offsetMillis: number): Promise<void> => {
    const res = await cluster().nodes[0].request('/rest/hostsim/1.0/clock', { method: 'PUT', auth: ADMIN, body: { offsetMillis } });
    expect(res.status, res.text).to.equal(200);
  };

  /** Waits until node2 reports this offset; returns its clock JSON. */
  const seenOnNode2 = (offsetMillis: number) => until(async () => {
    const res = await cluster().nodes[1].request('/rest/hostsim/1.0/clock', { auth: ADMIN });
    return res.json?.offsetMillis === offsetMillis ? res.json as { offsetMillis: number; now: number } : null;
  }, PROPAGATION_MS);

  afterEach(async () => setOffset(0));

  it('should show a clock offset moved on node1 on node2 within 1 s', async () => {
    await setOffset(3 * DAY);
    const seen = await seenOnNode2(3 * DAY);
    expect(seen.now - Date.now()).to.be.greaterThan(3 * DAY - 60_000);
  });

  it('should refuse a token on node2 within 1 s once node1 moves the clock past its expiry', async () => {
    const [a, b] = cluster().nodes;
    await waitForTokenApi(a);
    await seenOnNode2(0);
    const gina = await createUser(a, 'gina');
    const token = await createToken(a, [gina.name, gina.password], { tokenExpirationDateTimeMillis: Date.now() + 2 * DAY });
    await expectTokenStatus(b, token.plainTextToken, 200, 5000);
    await setOffset(3 * DAY);
    await expectTokenStatus(b, token.plainTextToken, 401);
    // Each refused attempt counts on gina's failed-login counter, so probe again only once
    // node2 has the clock back, and reset her counter.
    await setOffset(0);
    await seenOnNode2(0);
    expect((await a.request(`/rest/hostsim/1.0/users/${gina.name}/resetFailedLoginCount`, { method: 'POST', auth: ADMIN })).status).to.equal(204);
    await expectTokenStatus(b, token.plainTextToken, 200);
  });
});
