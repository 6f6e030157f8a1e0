// Issue 11 B: on-behalf permission never reaches a user with more rights than the caller
// (system admin > admin > user), on create, every single-token operation and tokensByFilter.
import { expect } from 'chai';
import type { HostUser } from '../../../host-sim/spi';
import { API, basic, type PluginApp } from './support/pluginApp';
import { createToken, pw, startWithRoles, type Roles } from './support/fixtures';
import { expectError } from '../../support/errorCodes';

describe('Token privileges: on-behalf never reaches a higher-ranked user', () => {
  let r: Roles;
  let app: PluginApp;
  let padmin: HostUser;
  let padmin2: HostUser;
  const padminAuth = () => basic('padmin', 'padmin-pw');
  const createForPadmin2 = async (body: Record<string, unknown> = {}) => {
    const res = await app.request('POST', `${API}/user/token`, { auth: basic('padmin2', 'padmin2-pw'), body });
    expect(res.status).to.equal(200);
    return res.body as { id: number };
  };

  beforeEach(async () => {
    r = await startWithRoles();
    app = r.app;
    // Product admins (ADMINISTER, not SYSTEM_ADMIN); padmin also holds the on-behalf permission.
    padmin = app.host.users.addUser({ name: 'padmin', password: 'padmin-pw', admin: true, groups: ['token-managers'] });
    padmin2 = app.host.users.addUser({ name: 'padmin2', password: 'padmin2-pw', admin: true });
  });
  afterEach(async () => { await app.close(); });

  it('should refuse to create a token for a user who outranks the caller (403), and allow it for the same rank or below', async () => {
    expectError(await app.request('POST', `${API}/user/token`, { auth: pw('manager'), body: { tokenForUserKey: 'admin' } }), 'TARGET_OUTRANKS_CALLER', 'user → sysadmin');
    expectError(await app.request('POST', `${API}/user/token`, { auth: pw('manager'), body: { tokenForUserKey: padmin2.key } }), 'TARGET_OUTRANKS_CALLER', 'user → admin');
    expectError(await app.request('POST', `${API}/user/token`, { auth: padminAuth(), body: { tokenForUserKey: 'admin' } }), 'TARGET_OUTRANKS_CALLER', 'admin → sysadmin');
    expect(app.host.ao.dump('Token')).to.have.length(0);
    for (const [auth, target] of [[padminAuth(), padmin2.key], [padminAuth(), r.bob.key], [pw('manager'), r.bob.key], [pw('admin'), padmin.key]]) {
      expect((await app.request('POST', `${API}/user/token`, { auth, body: { tokenForUserKey: target } })).status, target).to.equal(200);
    }
  });

  it('should answer 404 to PATCH, rotate, DELETE and snippets on a higher-ranked user\'s token, and leave it alone', async () => {
    const adminToken = await createToken(app, 'admin', { tokenDescription: 'admin own' });
    const padminToken = await createForPadmin2({ tokenDescription: 'padmin2 own' });
    const userless = await createToken(app, 'admin', { userless: true, restrictions: '[GET].*/rest/api/2/myself' });
    const probes = (id: number): Array<[string, string, unknown]> => [
      ['PATCH', `/user/token/${id}`, { tokenDescription: 'taken over' }],
      ['POST', `/user/token/${id}/rotate`, undefined],
      ['GET', `/user/token/${id}/snippets`, undefined],
      ['DELETE', `/user/token/${id}`, undefined],
    ];
    const cases: Array<[string, () => string, number]> = [
      ['manager', () => pw('manager'), adminToken.id], ['manager', () => pw('manager'), padminToken.id], ['manager', () => pw('manager'), userless.id],
      ['padmin', padminAuth, adminToken.id], ['padmin', padminAuth, userless.id],
    ];
    for (const [who, auth, id] of cases) {
      for (const [method, path, body] of probes(id)) {
        const res = await app.request(method, `${API}${path}`, { auth: auth(), body });
        expectError(res, 'TOKEN_NOT_FOUND', `${who} ${method} ${path}`);
        expect(res.text).not.to.include('apitok_');
      }
    }
    expect(app.host.ao.dump('Token').map((row) => row.DESCRIPTION)).to.have.members(['admin own', 'padmin2 own', userless.tokenDescription]);
    expect((await app.request('PATCH', `${API}/user/token/${padminToken.id}`, { auth: padminAuth(), body: { tokenDescription: 'same rank' } })).status).to.equal(200);
    expect((await app.request('POST', `${API}/user/token/${adminToken.id}/rotate`, { auth: pw('admin') })).status).to.equal(200);
  });

  it('should keep higher-ranked users\' and user-less tokens out of tokensByFilter, with totals and pages that add up', async () => {
    for (let i = 0; i < 2; i++) await createToken(app, 'admin');
    await createForPadmin2();
    for (let i = 0; i < 3; i++) await createToken(app, 'bob', { tokenDescription: `bob ${i}` });
    await createToken(app, 'admin', { userless: true, ipAllowlist: ['10.0.0.0/8'] });
    const page = async (auth: string, query: string) => (await app.request('GET', `${API}/user/tokensByFilter?${query}`, { auth })).body as {
      content: Array<{ tokenForUserKey: string }>; total: number; totalPages: number;
    };
    const byManager = await page(pw('manager'), 'limit=2');
    expect(byManager.total).to.equal(3);
    expect(byManager.totalPages).to.equal(2);
    expect(byManager.content.map((t) => t.tokenForUserKey)).to.deep.equal([r.bob.key, r.bob.key]);
    expect((await page(pw('manager'), 'limit=2&page=1')).content.map((t) => t.tokenForUserKey)).to.deep.equal([r.bob.key]);
    expect((await page(pw('manager'), `userFilter=admin&userFilter=${padmin2.key}`)).total).to.equal(0);
    const byPadmin = await page(padminAuth(), 'limit=50');
    expect(byPadmin.total).to.equal(4);
    expect(new Set(byPadmin.content.map((t) => t.tokenForUserKey))).to.deep.equal(new Set([r.bob.key, padmin2.key]));
    const byAdmin = await page(pw('admin'), 'limit=50');
    expect(byAdmin.total).to.equal(7);
    expect(byAdmin.content.map((t) => t.tokenForUserKey)).to.include('');
    // A promotion takes effect at once: bob's tokens leave the manager's view.
    app.host.users.addToGroup('bob', 'jira-admins');
    expect((await page(pw('manager'), 'limit=50')).total).to.equal(0);
  });
});
