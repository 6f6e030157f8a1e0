import { expect } from 'chai';
import { API, bearer, type PluginApp } from './support/pluginApp';
import { createToken, pw, startWithRoles } from './support/fixtures';
import { NoRestrictionSupport, type RestrictionRequest, type RestrictionSupport } from '../../../plugin/restrictions/RestrictionSupport';
import type { TokenRestrictions } from '../../../plugin/restrictions/types';

describe('TokenRequestGuard restrictions seam', () => {
  let app: PluginApp;
  afterEach(async () => { await app.close(); });

  it('should admit only what a token\'s rules allow (restrictions engine)', async () => {
    app = (await startWithRoles()).app;
    const { id, plainTextToken } = await createToken(app, 'alice', { restrictions: '[GET].*/rest/api/2/myself' });
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(200);
    expect((await app.request('POST', '/rest/api/2/myself', { auth: bearer(plainTextToken), body: {} })).status).to.equal(403);
    const list = (await app.request('GET', `${API}/user/token`, { auth: pw('alice') })).body as Array<{ id: number; restrictions: unknown }>;
    expect(list.find((t) => t.id === id)!.restrictions).to.deep.include({ ipAllowlist: [] });
  });

  it('should refuse a client address outside the token\'s IP allowlist and apply a changed list at once', async () => {
    app = (await startWithRoles()).app;
    const { id, plainTextToken } = await createToken(app, 'alice', { ipAllowlist: ['10.0.0.0/8'] });
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(403);
    const patched = await app.request('PATCH', `${API}/user/token/${id}`, { auth: pw('alice'), body: { ipAllowlist: ['127.0.0.1', '::1'] } });
    expect(patched.status).to.equal(200);
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(200);
  });

  it('should answer 400 to invalid restrictions and store nothing', async () => {
    app = (await startWithRoles()).app;
    for (const body of [{ restrictions: '[GET].*(a' }, { restrictions: { rules: 5 } }, { ipAllowlist: ['nope'] }]) {
      const res = await app.request('POST', `${API}/user/token`, { auth: pw('alice'), body });
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body).to.have.keys(['errorMessage', 'errors']);
    }
    expect(app.host.ao.dump('Token')).to.have.length(0);
  });

  it('should name a wrong IP allowlist entry as docs/api.md does: ipAllowlist[i], or restrictions.ipAllowlist[i] inside the rules', async () => {
    app = (await startWithRoles()).app;
    const top = await app.request('POST', `${API}/user/token`, { auth: pw('alice'), body: { ipAllowlist: ['10.0.0.1', 'nope'] } });
    expect(Object.keys((top.body as { errors: object }).errors)).to.deep.equal(['ipAllowlist[1]']);
    const inside = await app.request('POST', `${API}/user/token`, { auth: pw('alice'), body: { restrictions: { rules: [], ipAllowlist: ['nope'] } } });
    expect(Object.keys((inside.body as { errors: object }).errors)).to.deep.equal(['restrictions.ipAllowlist[0]']);
  });

  it('should hand the parsed JSON body to rules that need it', async () => {
    const seen: RestrictionRequest[] = [];
    const support: RestrictionSupport = {
      parse: (r) => ({ ok: true, json: r === undefined ? null : JSON.stringify(r) }),
      readStored: (json) => JSON.parse(json) as TokenRestrictions,
      compile: () => ({ needsBody: true, clientRefusal: () => null, evaluate: (req) => { seen.push(req); return (req.body as { ok?: boolean })?.ok ? { allowed: true } : { allowed: false, reason: 'NO_RULE_MATCHED' }; } }),
    };
    app = (await startWithRoles({ restrictions: support })).app;
    const { plainTextToken } = await createToken(app, 'alice', { restrictions: ['anything'] });
    expect((await app.request('POST', '/rest/api/2/myself', { auth: bearer(plainTextToken), body: { ok: true } })).status).to.equal(200);
    expect((await app.request('POST', '/rest/api/2/myself', { auth: bearer(plainTextToken), body: { ok: false } })).status).to.equal(403);
    expect(seen[0]).to.deep.include({ method: 'POST', path: '/rest/api/2/myself', body: { ok: true } });
  });

  it('should fail closed without an engine: no restrictions can be set, stored ones refuse', async () => {
    app = (await startWithRoles({ restrictions: new NoRestrictionSupport() })).app;
    expect((await app.request('POST', `${API}/user/token`, { auth: pw('alice'), body: { restrictions: '.*' } })).status).to.equal(400);
    const { id, plainTextToken } = await createToken(app, 'alice');
    await app.host.ao.update('Token', { RESTRICTIONS: '{"rules":[],"ipAllowlist":["1.2.3.4"]}' }, 'ID = ?', [id]);
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(403);
  });
});

describe('secure mode', () => {
  it('should refuse a change of restrictions after creation, and of the description too (seed 004)', async () => {
    const { createFakeHost } = await import('../../support/spi-fakes');
    const { startPluginApp } = await import('./support/pluginApp');
    const host = await createFakeHost({ systemProperties: { 'apitokenauth.secure.mode': 'true' } });
    host.users.addUser({ name: 'alice', password: 'alice-pw' });
    const app = await startPluginApp({}, host);
    try {
      const auth = `Basic ${Buffer.from('alice:alice-pw').toString('base64')}`;
      const created = (await app.request('POST', `${API}/user/token`, { auth, body: { ipAllowlist: ['127.0.0.1'] } })).body as { id: number };
      const locked = await app.request('PATCH', `${API}/user/token/${created.id}`, { auth, body: { ipAllowlist: [] } });
      expect(locked.status).to.equal(403);
      expect((await app.request('PATCH', `${API}/user/token/${created.id}`, { auth, body: { tokenDescription: 'renamed' } })).status).to.equal(403);
    } finally {
      await app.close();
      await host.close();
    }
  });
});
