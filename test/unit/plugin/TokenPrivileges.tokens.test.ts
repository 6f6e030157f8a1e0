// Issue 11 B in the token service: a restricted token changes no token and no setting; an
// unrestricted token never creates, rotates or extends a token beyond its own scope and expiry;
// nobody revives an expired token by PATCH.
import { expect } from 'chai';
import { API, bearer, type PluginApp } from './support/pluginApp';
import { createToken, pw, startWithRoles, type Roles } from './support/fixtures';
import { expectError } from '../../support/errorCodes';
import { API_TOKENS, publicIdOf, startPrincipalApp } from './support/principalApp';

const DAY = 86_400_000;

describe('Token privileges: what a token may do with tokens', () => {
  let r: Roles;
  let app: PluginApp;
  beforeEach(async () => { r = await startWithRoles(); app = r.app; });
  afterEach(async () => { await app.close(); });

  const tokenRows = () => app.host.ao.dump('Token').map((row) => ({ id: row.ID, hash: row.HASH, description: row.DESCRIPTION, validUntil: row.VALID_UNTIL }));

  it('should refuse create, rotate, edit, delete, deleteAllFor and settings through a token restricted only by an IP allowlist, and let it read', async () => {
    const restricted = await createToken(app, 'admin', { tokenDescription: 'ip only', ipAllowlist: ['127.0.0.1'] });
    const sibling = await createToken(app, 'admin', { tokenDescription: 'sibling' });
    await createToken(app, 'alice');
    const before = tokenRows();
    const settingsBefore = (await app.request('GET', `${API}/admin/settings`, { auth: pw('admin') })).body;
    const auth = bearer(restricted.plainTextToken);
    const writes: Array<[string, string, unknown]> = [
      ['POST', '/user/token', { tokenDescription: 'minted' }],
      ['POST', `/user/token/${sibling.id}/rotate`, undefined],
      ['PATCH', `/user/token/${sibling.id}`, { tokenDescription: 'renamed' }],
      ['PATCH', `/user/token/${restricted.id}`, { tokenDescription: 'renamed' }],
      ['PATCH', `/user/token/${restricted.id}`, { ipAllowlist: null }],
      ['DELETE', `/user/token/${sibling.id}`, undefined],
      ['DELETE', `/user/token/deleteAllFor/${r.alice.key}`, undefined],
      ['PUT', '/admin/settings', { maxTokensPerUser: 5 }],
    ];
    for (const [method, path, body] of writes) {
      const res = await app.request(method, `${API}${path}`, { auth, body });
      expectError(res, 'RESTRICTED_TOKEN_FORBIDDEN', `${method} ${path}`);
      expect(res.text).not.to.include('apitok_');
    }
    expect(tokenRows()).to.deep.equal(before);
    expect((await app.request('GET', `${API}/admin/settings`, { auth: pw('admin') })).body).to.deep.equal(settingsBefore);
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(sibling.plainTextToken) })).status).to.equal(200);
    expect((await app.request('GET', `${API}/user/token`, { auth })).status).to.equal(200);
    expect((await app.request('GET', `${API}/admin/settings`, { auth })).status).to.equal(200);
  });

  it('should refuse the same through a token with a URL rule that allows the token API', async () => {
    const restricted = await createToken(app, 'alice', { restrictions: '[POST].*/rest/de.resolution.apitokenauth/.*' });
    const sibling = await createToken(app, 'alice');
    const rotate = await app.request('POST', `${API}/user/token/${sibling.id}/rotate`, { auth: bearer(restricted.plainTextToken) });
    expectError(rotate, 'RESTRICTED_TOKEN_FORBIDDEN');
    expect(rotate.text).not.to.include('apitok_');
    expectError(await app.request('POST', `${API}/user/token`, { auth: bearer(restricted.plainTextToken), body: {} }), 'RESTRICTED_TOKEN_FORBIDDEN');
  });

  it('should treat a token principal without restriction details as restricted, and refuse /rest/api-tokens writes of a restricted one', async () => {
    const own = await createToken(app, 'alice');
    const stub = await startPrincipalApp(app.plugin);
    try {
      stub.principal = { user: r.alice, method: 'api-token', credentialId: String(own.id), details: { tokenId: own.id, publicId: publicIdOf(own.plainTextToken), scope: 2 } };
      expectError(await stub.request('POST', `${API}/user/token`, {}), 'RESTRICTED_TOKEN_FORBIDDEN', 'details missing');
      stub.principal = { user: r.alice, method: 'api-token', credentialId: String(own.id),
        details: { tokenId: own.id, publicId: publicIdOf(own.plainTextToken), scope: 2, restricted: true, validUntil: own.tokenExpirationDateTimeMillis as number, sudo: false } };
      expectError(await stub.request('POST', `${API_TOKENS}/`, { label: 'x' }), 'RESTRICTED_TOKEN_FORBIDDEN', 'api-tokens create');
      expectError(await stub.request('DELETE', `${API_TOKENS}/all`), 'RESTRICTED_TOKEN_FORBIDDEN', 'api-tokens delete all');
      expect((await stub.request('GET', `${API_TOKENS}/`)).status).to.equal(200);
      expect(app.host.ao.dump('Token')).to.have.length(1);
    } finally {
      await stub.close();
    }
  });

  it('should not let a token create a token that outlives it: an explicit date is 403, months and the default are capped at its expiry', async () => {
    const caller = await createToken(app, 'alice', { tokenValidityTimeInMonths: 1 });
    const auth = bearer(caller.plainTextToken);
    const callerUntil = caller.tokenExpirationDateTimeMillis as number;
    expectError(await app.request('POST', `${API}/user/token`, { auth, body: { tokenExpirationDateTimeMillis: callerUntil + 1 } }), 'TOKEN_PRIVILEGE_EXCEEDED', 'millis');
    expectError(await app.request('POST', `${API}/user/token`, { auth, body: { tokenExpirationDateTime: new Date(callerUntil + DAY).toISOString() } }), 'TOKEN_PRIVILEGE_EXCEEDED', 'date');
    for (const body of [{ tokenValidityTimeInMonths: 12 }, {}]) {
      const res = await app.request('POST', `${API}/user/token`, { auth, body });
      expect(res.status, JSON.stringify(body)).to.equal(200);
      const created = res.body as Record<string, unknown>;
      expect(created.tokenExpirationDateTimeMillis).to.equal(callerUntil);
      expect(created.tokenExpirationDateTime).to.equal(new Date(callerUntil).toISOString());
      expect(created.tokenValidityTimeInMonths).to.equal(1);
    }
    const earlier = await app.request('POST', `${API}/user/token`, { auth, body: { tokenExpirationDateTimeMillis: callerUntil - DAY } });
    expect((earlier.body as Record<string, unknown>).tokenExpirationDateTimeMillis).to.equal(callerUntil - DAY);
    const same = await app.request('POST', `${API}/user/token`, { auth, body: { tokenExpirationDateTimeMillis: callerUntil } });
    expect(same.status).to.equal(200);
    // A password is not capped.
    expect((await createToken(app, 'alice', { tokenValidityTimeInMonths: 12 })).tokenValidityTimeInMonths).to.equal(12);
  });

  it('should cap a token created on behalf through a token, and refuse a read/write token from a read-only one as before', async () => {
    const managerToken = await createToken(app, 'manager', { tokenValidityTimeInMonths: 2 });
    const res = await app.request('POST', `${API}/user/token`, { auth: bearer(managerToken.plainTextToken), body: { tokenForUserKey: r.bob.key, tokenValidityTimeInMonths: 6 } });
    expect(res.status).to.equal(200);
    expect((res.body as Record<string, unknown>).tokenExpirationDateTimeMillis).to.equal(managerToken.tokenExpirationDateTimeMillis);
    const readOnly = await createToken(app, 'alice', { tokenScope: 1 });
    expectError(await app.request('POST', `${API}/user/token`, { auth: bearer(readOnly.plainTextToken), body: { tokenScope: 2 } }), 'SCOPE_TOO_WEAK');
    const ro = await app.request('POST', `${API}/user/token`, { auth: bearer(readOnly.plainTextToken), body: {} });
    expect((ro.body as Record<string, unknown>).tokenScope).to.equal(1);
  });

  it('should not let a token rotate a token that outlives it; a token may rotate itself and shorter-lived tokens', async () => {
    const short = await createToken(app, 'alice', { tokenValidityTimeInMonths: 1 });
    const long = await createToken(app, 'alice', { tokenValidityTimeInMonths: 6 });
    const refused = await app.request('POST', `${API}/user/token/${long.id}/rotate`, { auth: bearer(short.plainTextToken) });
    expectError(refused, 'TOKEN_PRIVILEGE_EXCEEDED');
    expect(refused.text).not.to.include('apitok_');
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(long.plainTextToken) })).status).to.equal(200);
    const down = await app.request('POST', `${API}/user/token/${short.id}/rotate`, { auth: bearer(long.plainTextToken) });
    expect(down.status).to.equal(200);
    const self = await app.request('POST', `${API}/user/token/${long.id}/rotate`, { auth: bearer(long.plainTextToken) });
    expect(self.status).to.equal(200);
    expect((await app.request('POST', `${API}/user/token/${long.id}/rotate`, { auth: pw('alice') })).status).to.equal(200);
  });

  it('should not let a token move any expiry later by PATCH, its own or another, but let it move one earlier', async () => {
    const caller = await createToken(app, 'alice', { tokenValidityTimeInMonths: 3 });
    const other = await createToken(app, 'alice', { tokenValidityTimeInMonths: 1 });
    const auth = bearer(caller.plainTextToken);
    expectError(await app.request('PATCH', `${API}/user/token/${caller.id}`, { auth, body: { tokenValidityTimeInMonths: 6 } }), 'EXPIRY_EXTENSION_FORBIDDEN', 'own later');
    expectError(await app.request('PATCH', `${API}/user/token/${other.id}`, { auth, body: { tokenValidityTimeInMonths: 2 } }), 'EXPIRY_EXTENSION_FORBIDDEN', 'other later');
    expectError(await app.request('PATCH', `${API}/user/token/${caller.id}`,
      { auth, body: { tokenExpirationDateTimeMillis: (caller.tokenExpirationDateTimeMillis as number) + 1 } }), 'EXPIRY_EXTENSION_FORBIDDEN', 'own + 1 ms');
    const earlier = await app.request('PATCH', `${API}/user/token/${caller.id}`, { auth, body: { tokenValidityTimeInMonths: 2 } });
    expect(earlier.status).to.equal(200);
    expect((earlier.body as { validUntil: number }).validUntil).to.be.below(caller.tokenExpirationDateTimeMillis as number);
    expect((await app.request('PATCH', `${API}/user/token/${other.id}`, { auth: pw('alice'), body: { tokenValidityTimeInMonths: 6 } })).status).to.equal(200);
  });

  it('should not let a token lift or change the restrictions of a restricted token, outliving it or not, but let it narrow an unrestricted one', async () => {
    const caller = await createToken(app, 'alice', { tokenValidityTimeInMonths: 1 });
    const auth = bearer(caller.plainTextToken);
    const longRestricted = await createToken(app, 'alice', { tokenValidityTimeInMonths: 6, ipAllowlist: ['10.0.0.1'] });
    const shortRestricted = await createToken(app, 'alice', { tokenValidityTimeInMonths: 1, ipAllowlist: ['10.0.0.1'] });
    const longOpen = await createToken(app, 'alice', { tokenValidityTimeInMonths: 6 });
    for (const body of [{ ipAllowlist: null }, { restrictions: '.*' }, { ipAllowlist: ['0.0.0.0/0'] }]) {
      expectError(await app.request('PATCH', `${API}/user/token/${longRestricted.id}`, { auth, body }), 'TOKEN_PRIVILEGE_EXCEEDED', JSON.stringify(body));
    }
    expect((await app.request('PATCH', `${API}/user/token/${longRestricted.id}`, { auth, body: { tokenDescription: 'renamed' } })).status).to.equal(200);
    // Not outliving the caller is no licence: its expiry could have been moved down first (a widening through a stolen token outlives the revocation).
    expectError(await app.request('PATCH', `${API}/user/token/${shortRestricted.id}`, { auth, body: { ipAllowlist: null } }), 'TOKEN_PRIVILEGE_EXCEEDED');
    expect((await app.request('PATCH', `${API}/user/token/${longOpen.id}`, { auth, body: { ipAllowlist: ['10.0.0.1'] } })).status).to.equal(200);
    expect((await app.request('PATCH', `${API}/user/token/${longRestricted.id}`, { auth: pw('alice'), body: { ipAllowlist: null } })).status).to.equal(200);
  });

  it('should answer 409 to any PATCH of an expired token, keep it refused, and still delete it', async () => {
    const t = await createToken(app, 'alice', { tokenValidityTimeInMonths: 1 });
    app.host.clock.advance(40 * DAY);
    for (const [auth, body] of [[pw('alice'), { tokenDescription: 'revived?' }], [pw('alice'), { tokenValidityTimeInMonths: 3 }],
      [pw('admin'), { tokenExpirationDateTimeMillis: app.host.clock.now() + DAY }], [pw('alice'), { tokenScope: 1 }], [pw('alice'), { restrictions: null }]] as const) {
      expectError(await app.request('PATCH', `${API}/user/token/${t.id}`, { auth, body }), 'EXPIRED_TOKEN_FROZEN', JSON.stringify(body));
    }
    expect(app.host.ao.dump('Token')[0].VALID_UNTIL).to.equal(t.tokenExpirationDateTimeMillis);
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(t.plainTextToken) })).status).to.equal(401);
    expect((await app.request('DELETE', `${API}/user/token/${t.id}`, { auth: pw('alice') })).status).to.equal(200);
  });
});
