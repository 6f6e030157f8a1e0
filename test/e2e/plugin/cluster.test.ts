// Two host nodes on one database: a revocation, rotation or settings change made on one node
// is honoured on the other within a second; concurrent creates hold the per-user quota.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { API, type E2eEnv } from './support/e2eHost';
import { eventually, startTwoNodes, stopTwoNodes } from './support/twoNodes';

forEachDatabase('two cluster nodes', (kind) => {
  let e2e: E2eEnv;
  let node2: TestHost;

  before(async () => {
    ({ e2e, node2 } = await startTwoNodes(kind));
  });
  after(() => stopTwoNodes({ e2e, node2 }));

  it('should refuse a token on the other node within a second of its deletion there', async () => {
    const { id, plainTextToken } = await e2e.createToken('alice');
    expect((await node2.request('/rest/api/2/myself', { bearer: plainTextToken })).status).to.equal(200);
    expect((await e2e.as('alice', `${API}/user/token/${id}`, { method: 'DELETE' })).status).to.equal(200);
    expect((await e2e.req('/rest/api/2/myself', { bearer: plainTextToken })).status).to.equal(401);
    expect(await eventually(async () => (await node2.request('/rest/api/2/myself', { bearer: plainTextToken })).status === 401, 3000)).to.equal(true);
  });

  it('should honour a rotation on the other node within a second', async () => {
    const { id, plainTextToken } = await e2e.createToken('alice');
    expect((await node2.request('/rest/api/2/myself', { bearer: plainTextToken })).status).to.equal(200);
    const rotated = await node2.request(`${API}/user/token/${id}/rotate`, { method: 'POST', auth: ['alice', e2e.users.alice.password] });
    expect(rotated.status).to.equal(200);
    e2e.issued.push(rotated.json.plainTextToken);
    expect(await eventually(async () => (await e2e.req('/rest/api/2/myself', { bearer: plainTextToken })).status === 401, 3000)).to.equal(true);
    expect((await e2e.req('/rest/api/2/myself', { bearer: rotated.json.plainTextToken })).status).to.equal(200);
  });

  it('should apply a settings change on the other node within a second', async () => {
    const { plainTextToken } = await e2e.createToken('alice');
    expect((await node2.request('/rest/api/2/myself', { bearer: plainTextToken })).status).to.equal(200);
    try {
      expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { authSchemes: 'basic' } })).status).to.equal(200);
      expect(await eventually(async () => (await node2.request('/rest/api/2/myself', { bearer: plainTextToken })).status === 401, 3000)).to.equal(true);
    } finally {
      await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { authSchemes: 'both' } });
    }
  });

  it('should hold maxTokensPerUser under concurrent creates on both nodes', async () => {
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { maxTokensPerUser: 3 } })).status).to.equal(200);
    try {
      expect(await eventually(async () => (await node2.request(`${API}/admin/settings`, { auth: ['admin', 'admin'] })).json.maxTokensPerUser === 3, 3000)).to.equal(true);
      const create = (host: TestHost) => host.request(`${API}/user/token`, { method: 'POST', auth: ['carol', e2e.users.carol.password], body: {} });
      const results = await Promise.all(Array.from({ length: 12 }, (_v, i) => create(i % 2 ? node2 : e2e.host)));
      for (const r of results) if (r.json?.plainTextToken) e2e.issued.push(r.json.plainTextToken);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).to.deep.equal([200, 200, 200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    } finally {
      await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { maxTokensPerUser: 100 } });
    }
  });
});
