import { expect } from 'chai';
import { API, basic, bearer, type PluginApp } from './support/pluginApp';
import { createToken, pw, startWithRoles } from './support/fixtures';

interface Listed { id: number; tokenScope: number; restrictions: { rules: unknown[]; ipAllowlist: string[] } | null; restrictionsText: string | null; userless: boolean }

describe('DefaultTokenService (user-less tokens and PATCH of limits)', () => {
  let app: PluginApp;
  afterEach(async () => { await app.close(); });

  it('should create a user-less token for a system admin and let it act as the named user only with Basic', async () => {
    app = (await startWithRoles()).app;
    const created = await createToken(app, 'admin', { userless: true, restrictions: '[GET].*/myself' });
    expect(created.tokenForUserKey).to.equal(null);
    const asBob = await app.request('GET', '/rest/api/2/myself', { auth: basic('bob', created.plainTextToken) });
    expect(asBob.status).to.equal(200);
    expect((asBob.body as { name: string }).name).to.equal('bob');
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(created.plainTextToken) })).status).to.equal(401);
    const row = app.host.ao.dump('Token').find((r) => Number(r.ID) === created.id)!;
    expect(row.USER_KEY).to.equal(null);
  });

  it('should refuse a user-less token to non-admins (403) and without restrictions (400)', async () => {
    app = (await startWithRoles()).app;
    expect((await app.request('POST', `${API}/user/token`, { auth: pw('manager'), body: { userless: true, restrictions: '.*' } })).status).to.equal(403);
    const bare = await app.request('POST', `${API}/user/token`, { auth: pw('admin'), body: { userless: true, ipAllowlist: [] } });
    expect(bare.status).to.equal(400);
    expect(app.host.ao.dump('Token')).to.have.length(0);
  });

  it('should keep the allowlist when only the rules change, and clear it with null', async () => {
    app = (await startWithRoles()).app;
    const { id } = await createToken(app, 'alice', { restrictions: '[GET].*/a', ipAllowlist: ['10.0.0.0/8'] });
    const rules = await app.request('PATCH', `${API}/user/token/${id}`, { auth: pw('alice'), body: { restrictions: '[GET].*/b' } });
    expect((rules.body as Listed).restrictions).to.deep.equal({ rules: [{ method: 'GET', urlPattern: '.*/b' }], ipAllowlist: ['10.0.0.0/8'] });
    expect((rules.body as Listed).restrictionsText).to.equal('[GET].*/b\n[IpAllowlist::10.0.0.0/8]');
    const cleared = await app.request('PATCH', `${API}/user/token/${id}`, { auth: pw('alice'), body: { ipAllowlist: null } });
    expect((cleared.body as Listed).restrictions).to.deep.equal({ rules: [{ method: 'GET', urlPattern: '.*/b' }], ipAllowlist: [] });
  });

  it('should audit a lowered scope and refuse limit changes through a read-only or restricted token', async () => {
    app = (await startWithRoles()).app;
    const { id } = await createToken(app, 'alice');
    const lowered = await app.request('PATCH', `${API}/user/token/${id}`, { auth: pw('alice'), body: { tokenScope: 1 } });
    expect((lowered.body as Listed).tokenScope).to.equal(1);
    const changed = app.host.audit.events.filter((e) => e.action === 'token.changed');
    expect(changed[0].changedValues).to.deep.equal([{ key: 'scope', from: '2', to: '1' }]);
    const readOnly = await createToken(app, 'alice', { tokenScope: 1 });
    expect((await app.request('PATCH', `${API}/user/token/${id}`, { auth: bearer(readOnly.plainTextToken), body: { tokenDescription: 'x' } })).status).to.equal(403);
    const restricted = await createToken(app, 'alice', { restrictions: '.*' });
    expect((await app.request('PATCH', `${API}/user/token/${id}`, { auth: bearer(restricted.plainTextToken), body: { restrictions: null } })).status).to.equal(403);
  });
});
