import { expect } from 'chai';
import { API, bearer, startPluginApp } from './support/pluginApp';
import { createToken, pw, startWithRoles } from './support/fixtures';
import { createFakeHost } from '../../support/spi-fakes';

describe('activate (composition root)', () => {
  it('should return every module of the descriptor', async () => {
    const { app } = await startWithRoles();
    try {
      expect(Object.keys(app.plugin.modules).sort()).to.deep.equal([
        'api-tokens-rest', 'expiry-warning-job', 'last-access-flush-job', 'new-ip-alert-job', 'profile-token-panel', 'token-auth-filter',
        'token-prune-job', 'token-rest', 'token-ui-servlet',
      ]);
    } finally {
      await app.close();
    }
  });

  it('should flush last access and queued audit events on deactivate', async () => {
    const { app } = await startWithRoles({ auditFlushIntervalMs: 60000 });
    const { id, plainTextToken } = await createToken(app, 'alice');
    await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) });
    try {
      expect(app.host.audit.actions()).to.not.include('token.used');
      await app.plugin.deactivate();
      expect(app.host.audit.actions()).to.include('token.used');
      const row = app.host.ao.dump('Token').find((r) => r.ID === id)!;
      expect(row.USE_COUNT).to.equal(1);
    } finally {
      await app.close();
    }
  });

  it('should run two instances (two nodes) in one process without sharing state', async () => {
    const host = await createFakeHost();
    host.users.addUser({ name: 'alice', password: 'alice-pw' });
    const a = await startPluginApp({}, host);
    const b = await startPluginApp({}, host.addNode('node-2'));
    try {
      const created = (await a.request('POST', `${API}/user/token`, { auth: 'Basic ' + Buffer.from('alice:alice-pw').toString('base64'), body: {} })).body as { id: number; plainTextToken: string };
      expect((await b.request('GET', '/rest/api/2/myself', { auth: bearer(created.plainTextToken) })).status).to.equal(200);
      await a.request('DELETE', `${API}/user/token/${created.id}`, { auth: 'Basic ' + Buffer.from('alice:alice-pw').toString('base64') });
      // b is a second node: it learns of the deletion through the cluster channel.
      host.network.deliver();
      expect((await b.request('GET', '/rest/api/2/myself', { auth: bearer(created.plainTextToken) })).status).to.equal(401);
    } finally {
      await a.close();
      await b.close();
      await host.close();
    }
  });
});

describe('token use audit', () => {
  it('should audit a sampled first use per hour, every use for all, none for off, and refusals with their reason', async () => {
    const { app } = await startWithRoles({ auditFlushIntervalMs: 60000 });
    try {
      const { plainTextToken } = await createToken(app, 'alice');
      const use = () => app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) });
      await use(); await use(); await use();
      await app.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { auditTokenUse: 'all' } });
      await use(); await use();
      await app.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { auditTokenUse: 'off' } });
      await use();
      await app.request('GET', '/rest/api/2/myself', { auth: bearer(`${plainTextToken.slice(0, -6)}000000`) });
      await app.plugin.deactivate();
      const used = app.host.audit.events.filter((e) => e.action === 'token.used');
      expect(used).to.have.length(3);
      expect(used[0].attributes).to.include({ httpMethod: 'GET', path: '/rest/api/2/myself', status: '200' });
      const refused = app.host.audit.events.filter((e) => e.action === 'token.refused');
      expect(refused.map((e) => e.attributes?.reason)).to.deep.equal(['BAD_CHECKSUM']);
    } finally {
      await app.close();
    }
  });

  it('should audit a token use with the status the request was answered with, not only 200', async () => {
    // docs/api.md "Token authentication": `token used` names method, path, status and IP; until now only a 200 was ever checked.
    const { app } = await startWithRoles({ auditFlushIntervalMs: 60000 });
    try {
      const { plainTextToken } = await createToken(app, 'alice');
      expect((await app.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { auditTokenUse: 'all' } })).status).to.equal(200);
      const answered = [
        (await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status,
        (await app.request('GET', '/rest/api/2/nothing-here', { auth: bearer(plainTextToken) })).status,
        (await app.request('GET', `${API}/user/tokensByFilter`, { auth: bearer(plainTextToken) })).status,
      ];
      expect(answered).to.deep.equal([200, 404, 403]);
      await app.plugin.deactivate();
      const used = app.host.audit.events.filter((e) => e.action === 'token.used').map((e) => [e.attributes?.path, e.attributes?.status]);
      expect(used).to.deep.equal([
        ['/rest/api/2/myself', '200'],
        ['/rest/api/2/nothing-here', '404'],
        [`${API}/user/tokensByFilter`, '403'],
      ]);
    } finally {
      await app.close();
    }
  });
});
