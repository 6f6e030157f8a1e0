import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, TEST_PLUGIN_DESCRIPTOR, type TestHost } from '../../support/hostServer';

const ADMIN = ['admin', 'admin'] as const;
const PLUGIN = 'com.example.hostsim.testplugin';

forEachDatabase('Dev toolbox', (dbKind) => {
  let host: TestHost;
  before(async () => {
    host = await startTestHost({ product: 'jira', dbKind, descriptors: [TEST_PLUGIN_DESCRIPTOR] });
    await host.runtime.users.createUser({ name: 'eve', password: 'pw', email: 'eve@example.com', displayName: 'Eve', groups: ['jira-software-users', 'jira-admins'] });
  });
  after(async () => { await host?.stop(); });

  it('should move the host clock', async () => {
    const before = await host.request('/rest/hostsim/1.0/clock', { auth: ADMIN });
    expect(before.status).to.equal(200);
    const day = 24 * 3600 * 1000;
    const moved = await host.request('/rest/hostsim/1.0/clock', { method: 'PUT', auth: ADMIN, body: { offsetMillis: day } });
    expect(moved.status).to.equal(200);
    expect(moved.json.offsetMillis).to.equal(day);
    expect(host.runtime.clock.now() - Date.now()).to.be.greaterThan(day - 60000);
    await host.request('/rest/hostsim/1.0/clock', { method: 'PUT', auth: ADMIN, body: { offsetMillis: 0 } });
    expect((await host.request('/rest/hostsim/1.0/clock', { method: 'PUT', auth: ADMIN, body: { offsetMillis: '1' } })).status).to.equal(400);
    expect((await host.request('/rest/hostsim/1.0/clock', { method: 'PUT', auth: ADMIN, body: { offsetMillis: 1.5 } })).status).to.equal(400);
  });

  it('should count database statements on this node', async () => {
    const first = await host.request('/rest/hostsim/1.0/stats', { auth: ADMIN });
    expect(first.status).to.equal(200);
    await host.request('/rest/api/2/issue', { method: 'POST', auth: ADMIN, body: { fields: { project: { key: 'TEST' }, summary: 'count me', issuetype: { name: 'Task' } } } });
    const second = await host.request('/rest/hostsim/1.0/stats', { auth: ADMIN });
    expect(second.json.writes).to.be.greaterThan(first.json.writes);
    expect(second.json.reads).to.be.at.least(first.json.reads);
  });

  it('should set a plugin\'s licence state', async () => {
    const res = await host.request(`/rest/hostsim/1.0/license/${PLUGIN}`, { method: 'PUT', auth: ADMIN, body: { state: 'expired' } });
    expect(res.status).to.equal(200);
    expect((await host.request('/rest/testplugin/1.0/license', { auth: ADMIN })).json.state).to.equal('expired');
    await host.request(`/rest/hostsim/1.0/license/${PLUGIN}`, { method: 'PUT', auth: ADMIN, body: { state: 'valid' } });
    expect((await host.request('/rest/testplugin/1.0/license', { auth: ADMIN })).json.state).to.equal('valid');
    expect((await host.request(`/rest/hostsim/1.0/license/${PLUGIN}`, { method: 'PUT', auth: ADMIN, body: { state: 'bogus' } })).status).to.equal(400);
    expect((await host.request('/rest/hostsim/1.0/license/no.such.plugin', { method: 'PUT', auth: ADMIN, body: { state: 'valid' } })).status).to.equal(404);
  });

  it('should list and clear the mail outbox', async () => {
    await host.runtime.mail.send({ to: 'someone@example.com', subject: 'Hello', text: 'Body' });
    const list = await host.request('/rest/hostsim/1.0/mail', { auth: ADMIN });
    expect(list.status).to.equal(200);
    expect(list.json.map((m: { subject: string }) => m.subject)).to.include('Hello');
    expect((await host.request('/rest/hostsim/1.0/mail', { method: 'DELETE', auth: ADMIN })).status).to.equal(204);
    expect((await host.request('/rest/hostsim/1.0/mail', { auth: ADMIN })).json).to.deep.equal([]);
  });

  it('should deactivate and reactivate a user', async () => {
    await host.runtime.users.createUser({ name: 'dora', password: 'pw', email: 'dora@example.com', displayName: 'Dora' });
    const off = await host.request('/rest/hostsim/1.0/users/dora/active', { method: 'PUT', auth: ADMIN, body: { active: false } });
    expect(off.status).to.equal(200);
    expect(off.json.active).to.equal(false);
    expect((await host.request('/rest/api/2/myself', { auth: ['dora', 'pw'] })).status).to.equal(401);
    expect((await host.request('/rest/hostsim/1.0/users/dora/active', { method: 'PUT', auth: ADMIN, body: { active: true } })).status).to.equal(200);
    expect((await host.request('/rest/api/2/myself', { auth: ['dora', 'pw'] })).status).to.equal(200);
    expect((await host.request('/rest/hostsim/1.0/users/nobody/active', { method: 'PUT', auth: ADMIN, body: { active: false } })).status).to.equal(404);
    expect((await host.request('/rest/hostsim/1.0/users/dora/active', { method: 'PUT', auth: ADMIN, body: { active: 'no' } })).status).to.equal(400);
  });

  it('should reset a failed-login count and 404 for an unknown user', async () => {
    await host.request('/rest/api/2/myself', { auth: ['eve', 'bad'] });
    expect((await host.runtime.loginManager.getLoginInfo('eve')).currentFailedLoginCount).to.equal(1);
    expect((await host.request('/rest/hostsim/1.0/users/eve/resetFailedLoginCount', { method: 'POST', auth: ADMIN })).status).to.equal(204);
    expect((await host.runtime.loginManager.getLoginInfo('eve')).currentFailedLoginCount).to.equal(0);
    expect((await host.request('/rest/hostsim/1.0/users/ghost/resetFailedLoginCount', { method: 'POST', auth: ADMIN })).status).to.equal(404);
  });

  it('should run a job by its scheduler key and 404 for an unknown one', async () => {
    const run = await host.request(`/rest/hostsim/1.0/jobs/${encodeURIComponent(`${PLUGIN}:tick-job`)}/run`, { method: 'POST', auth: ADMIN });
    expect(run.status).to.equal(200);
    expect(run.json).to.deep.equal({ jobKey: `${PLUGIN}:tick-job`, ran: true });
    expect((await host.request('/rest/hostsim/1.0/jobs/nope/run', { method: 'POST', auth: ADMIN })).status).to.equal(404);
  });

  it('should be for system admins only', async () => {
    expect((await host.request('/rest/hostsim/1.0/clock', { auth: ['eve', 'pw'] })).status).to.equal(403);
    expect((await host.request('/rest/hostsim/1.0/clock')).status).to.equal(401);
  });
});

describe('Dev toolbox outside dev mode', () => {
  it('should not exist', async () => {
    const host = await startTestHost({ product: 'jira', dbKind: 'sqlite', descriptors: [], env: { DEV_MODE: 'false' } });
    try {
      expect((await host.request('/rest/hostsim/1.0/clock', { auth: ADMIN })).status).to.equal(404);
    } finally {
      await host.stop();
    }
  });
});
