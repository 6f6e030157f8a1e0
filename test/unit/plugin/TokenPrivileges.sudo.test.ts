// Issue 11 F (storage and create side of admin "sudo" tokens) and B: a request running as another
// user through a sudo token may do nothing on the token APIs or the settings.
import { expect } from 'chai';
import type { AuthenticatedPrincipal } from '../../../host-sim/spi';
import { API, bearer, type PluginApp } from './support/pluginApp';
import { createToken, pw, startWithRoles, type Roles } from './support/fixtures';
import { expectError } from '../../support/errorCodes';
import { API_TOKENS, publicIdOf, startPrincipalApp } from './support/principalApp';

describe('Sudo tokens: create rules and the token API under sudo', () => {
  let r: Roles;
  let app: PluginApp;
  beforeEach(async () => { r = await startWithRoles(); app = r.app; });
  afterEach(async () => { await app.close(); });

  const allowSudo = async (on: boolean) => {
    expect((await app.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { sudoTokensAllowed: on } })).status).to.equal(200);
  };
  const create = (auth: string, body: Record<string, unknown>) => app.request('POST', `${API}/user/token`, { auth, body });

  it('should show sudoTokensAllowed in the settings, off by default, and refuse sudo tokens while it is off', async () => {
    const settings = await app.request('GET', `${API}/admin/settings`, { auth: pw('admin') });
    expect(settings.body).to.include({ sudoTokensAllowed: false });
    expectError(await create(pw('admin'), { sudo: true }), 'SUDO_TOKENS_DISABLED');
    expectError(await app.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { sudoTokensAllowed: 'yes' } }), 'SETTINGS_INVALID');
    expect(app.host.ao.dump('Token')).to.have.length(0);
  });

  it('should let only a system admin create a sudo token, only for themself, never with restrictions', async () => {
    await allowSudo(true);
    expectError(await create(pw('alice'), { sudo: true }), 'SYSADMIN_REQUIRED', 'alice');
    expectError(await create(pw('manager'), { sudo: true, tokenForUserKey: r.manager.key }), 'SYSADMIN_REQUIRED', 'manager');
    for (const body of [{ sudo: true, tokenForUserKey: r.bob.key }, { sudo: true, userless: true, restrictions: '.*' },
      { sudo: true, ipAllowlist: ['127.0.0.1'] }, { sudo: true, restrictions: '[GET].*' }, { sudo: 'yes' }]) {
      const res = await create(pw('admin'), body);
      expectError(res, 'VALIDATION_FAILED', JSON.stringify(body));
      expect((res.body as { errors: Record<string, string> }).errors).to.have.property('sudo');
    }
    expect(app.host.ao.dump('Token')).to.have.length(0);
    const sudo = await createToken(app, 'admin', { sudo: true, tokenDescription: 'automation as others' });
    const self = await createToken(app, 'admin', { sudo: true, tokenForUserKey: 'admin', ipAllowlist: null });
    const plain = await createToken(app, 'admin', { sudo: false });
    const list = (await app.request('GET', `${API}/user/token`, { auth: pw('admin') })).body as Array<{ id: number; sudo: boolean }>;
    expect(list.map((t) => [t.id, t.sudo])).to.deep.equal([[sudo.id, true], [self.id, true], [plain.id, false]]);
    const byFilter = (await app.request('GET', `${API}/user/tokensByFilter`, { auth: pw('admin') })).body as { content: Array<{ id: number; sudo: boolean }> };
    expect(byFilter.content.find((t) => t.id === sudo.id)?.sudo).to.equal(true);
    expect(byFilter.content.find((t) => t.id === plain.id)).not.to.have.property('sudo');
    const created = app.host.audit.events.filter((e) => e.action === 'token.created');
    expect(created.map((e) => e.attributes?.sudo)).to.deep.equal(['true', 'true', 'false']);
  });

  it('should let only an unrestricted sudo token (not running as anyone) create a sudo token through a token', async () => {
    await allowSudo(true);
    const plain = await createToken(app, 'admin');
    const sudo = await createToken(app, 'admin', { sudo: true });
    expectError(await create(bearer(plain.plainTextToken), { sudo: true }), 'TOKEN_PRIVILEGE_EXCEEDED');
    expect((await create(bearer(sudo.plainTextToken), { sudo: true })).status).to.equal(200);
    // …nor rotate one: a plain token cannot obtain a sudo token's secret.
    expectError(await app.request('POST', `${API}/user/token/${sudo.id}/rotate`, { auth: bearer(plain.plainTextToken) }), 'TOKEN_PRIVILEGE_EXCEEDED');
    expect((await app.request('POST', `${API}/user/token/${plain.id}/rotate`, { auth: bearer(sudo.plainTextToken) })).status).to.equal(200);
  });

  it('should refuse sudo on a PATCH that adds restrictions to a sudo token', async () => {
    await allowSudo(true);
    const sudo = await createToken(app, 'admin', { sudo: true });
    for (const body of [{ ipAllowlist: ['127.0.0.1'] }, { restrictions: '[GET].*' }]) {
      expectError(await app.request('PATCH', `${API}/user/token/${sudo.id}`, { auth: pw('admin'), body }), 'VALIDATION_FAILED', JSON.stringify(body));
    }
    expect((await app.request('PATCH', `${API}/user/token/${sudo.id}`, { auth: pw('admin'), body: { restrictions: null, tokenDescription: 'renamed' } })).status).to.equal(200);
  });

  it('should refuse every token API and settings call, read or write, of a request running as another user', async () => {
    await allowSudo(true);
    const sudo = await createToken(app, 'admin', { sudo: true });
    const bobs = await createToken(app, 'bob');
    const stub = await startPrincipalApp(app.plugin);
    try {
      const principal: AuthenticatedPrincipal = { user: r.bob, method: 'api-token', credentialId: String(sudo.id), details: {
        tokenId: sudo.id, publicId: publicIdOf(sudo.plainTextToken), scope: 2, restricted: false, validUntil: sudo.tokenExpirationDateTimeMillis, sudo: true, runAsByUserKey: 'admin' } };
      const calls: Array<[string, string, unknown]> = [
        ['GET', `${API}/user/token`, undefined], ['POST', `${API}/user/token`, {}], ['PATCH', `${API}/user/token/${bobs.id}`, { tokenDescription: 'x' }],
        ['POST', `${API}/user/token/${bobs.id}/rotate`, undefined], ['GET', `${API}/user/token/${bobs.id}/snippets`, undefined],
        ['DELETE', `${API}/user/token/${bobs.id}`, undefined], ['GET', `${API}/user/tokensByFilter`, undefined],
        ['GET', `${API}/user/userKeyByEmail?email=bob%40example.com`, undefined], ['DELETE', `${API}/user/token/deleteAllFor/${r.bob.key}`, undefined],
        ['GET', `${API}/admin/settings`, undefined], ['PUT', `${API}/admin/settings`, { sudoTokensAllowed: false }],
        ['GET', `${API_TOKENS}/`, undefined], ['POST', `${API_TOKENS}/`, { label: 'x' }], ['DELETE', `${API_TOKENS}/all`, undefined],
      ];
      for (const user of [r.bob, r.admin]) {
        stub.principal = { ...principal, user };
        for (const [method, path, body] of calls) {
          const res = await stub.request(method, path, body);
          expectError(res, 'SUDO_NOT_ALLOWED', `as ${user.name}: ${method} ${path}`);
          expect(res.text).not.to.include('apitok_');
        }
      }
      expect(app.host.ao.dump('Token')).to.have.length(2);
      expect((await app.request('GET', `${API}/admin/settings`, { auth: pw('admin') })).body).to.include({ sudoTokensAllowed: true });
    } finally {
      await stub.close();
    }
  });
});
