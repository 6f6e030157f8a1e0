import { MAX_BODY_BYTES } from '../../../plugin/rest/TokenRestRouter';
import { expect } from 'chai';
import { API, bearer, type PluginApp } from './support/pluginApp';
import { createToken, pw, startWithRoles, type Roles } from './support/fixtures';
import { TOKEN_LENGTH } from '../../../plugin/token/TokenFormat';
import { expectError } from '../../support/errorCodes';

describe('CreateTokenResource', () => {
  let r: Roles;
  let app: PluginApp;
  beforeEach(async () => { r = await startWithRoles(); app = r.app; });
  afterEach(async () => { await app.close(); });

  it('should answer the create shape of the original app with defaults', async () => {
    const res = await app.request('POST', `${API}/user/token`, { auth: pw('alice'), body: {} });
    expect(res.status).to.equal(200);
    const body = res.body as Record<string, unknown>;
    expect(body).to.have.keys(['id', 'plainTextToken', 'tokenDescription', 'tokenForUserKey', 'tokenValidityTimeInMonths',
      'tokenExpirationDateTime', 'tokenExpirationDateTimeMillis', 'tokenScope']);
    expect(body.plainTextToken).to.be.a('string').with.length(TOKEN_LENGTH);
    expect(body.tokenDescription).to.equal('API Token from 2026-01-15');
    expect(body.tokenForUserKey).to.equal(r.alice.key);
    expect(body.tokenValidityTimeInMonths).to.equal(12);
    expect(body.tokenScope).to.equal(2);
    expect(new Date(body.tokenExpirationDateTime as string).getTime()).to.equal(body.tokenExpirationDateTimeMillis);
  });

  it('should lower a validity above the maximum and keep a custom expiry with offset', async () => {
    const a = await createToken(app, 'alice', { tokenDescription: 'x', tokenValidityTimeInMonths: 99 });
    expect(a.tokenValidityTimeInMonths).to.equal(12);
    const b = await createToken(app, 'alice', { tokenDescription: 'Custom expiration', tokenExpirationDateTime: '2026-10-19T10:29:00.000+02:00' });
    expect(b.tokenExpirationDateTime).to.equal('2026-10-19T10:29:00.000+02:00');
    expect(b.tokenExpirationDateTimeMillis).to.equal(Date.UTC(2026, 9, 19, 8, 29));
  });

  it('should answer 400 with a code-specific message and store nothing for bad expiry input', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ tokenExpirationDateTime: '2026-10-19T10:29:00.000' }, /UTC/],
      [{ tokenExpirationDateTime: '2020-10-19T10:29:00.000+02:00' }, /past/],
      [{ tokenExpirationDateTime: '2030-10-19T10:29:00.000+02:00' }, /12 months/],
      [{ tokenExpirationDateTime: 'soon' }, /ISO 8601/],
    ];
    for (const [body] of cases) {
      const res = await app.request('POST', `${API}/user/token`, { auth: pw('alice'), body });
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body).to.have.property('errorMessage').that.is.a('string');
    }
    const beyond = await app.request('POST', `${API}/user/token`, { auth: pw('alice'), body: cases[2][0] });
    expect((beyond.body as { errorMessage: string }).errorMessage).to.include('12');
    expect(app.host.ao.dump('Token')).to.have.length(0);
  });

  it('should answer 400 with field errors for wrong types and unknown fields', async () => {
    const bad: Array<Record<string, unknown>> = [
      { tokenValidityTimeInMonths: 0 }, { tokenValidityTimeInMonths: '3' }, { tokenValidityTimeInMonths: 1.5 },
      { tokenScope: -1 }, { tokenScope: 3 }, { tokenScope: 'read' }, { tokenDescription: 42 }, { tokenDescription: 'x'.repeat(256) },
      { tokenDescription: 'a\u0000b' }, { tokenExpirationDateTimeMillis: -5 }, { tokenForUserKey: 7 }, { surprise: true },
    ];
    for (const body of bad) {
      const res = await app.request('POST', `${API}/user/token`, { auth: pw('alice'), body });
      expect(res.status, JSON.stringify(body)).to.equal(400);
      expect(res.body).to.have.keys(['errorMessage', 'errors']);
    }
    for (const raw of ['{not json', '[1,2]', '"text"']) {
      const res = await app.request('POST', `${API}/user/token`, { auth: pw('alice'), rawBody: raw, headers: { 'content-type': 'application/json' } });
      expect(res.status, raw).to.equal(400);
    }
    const huge = await app.request('POST', `${API}/user/token`, { auth: pw('alice'), body: { tokenDescription: 'x'.repeat(MAX_BODY_BYTES + 1) } });
    expect(huge.status).to.equal(413);
    expect(app.host.ao.dump('Token')).to.have.length(0);
  });

  it('should refuse a wrong ?snippets= before creating anything, and the errors name real limits', async () => {
    for (const query of ['snippets=yes', 'snippets=true&snippets=true']) {
      const res = await app.request('POST', `${API}/user/token?${query}`, { auth: pw('alice'), body: {} });
      expect(res.status, query).to.equal(400);
      expect(Object.keys((res.body as { errors: object }).errors), query).to.deep.equal(['snippets']);
    }
    expect(app.host.ao.dump('Token')).to.have.length(0);
    const months = await app.request('POST', `${API}/user/token`, { auth: pw('alice'), body: { tokenValidityTimeInMonths: 1e300 } });
    expect(JSON.stringify(months.body)).to.not.include(String(Number.MAX_SAFE_INTEGER));
    expect((await app.request('POST', `${API}/user/token?snippets=false`, { auth: pw('alice'), body: {} })).body).to.not.have.property('snippets');
  });

  it('should let on-behalf holders and sysadmins create for others, and nobody else (403)', async () => {
    expect((await app.request('POST', `${API}/user/token`, { auth: pw('alice'), body: { tokenForUserKey: r.bob.key } })).status).to.equal(403);
    const byManager = await createToken(app, 'manager', { tokenForUserKey: r.bob.key });
    expect(byManager.tokenForUserKey).to.equal(r.bob.key);
    const byAdmin = await createToken(app, 'admin', { tokenForUserKey: r.bob.key, tokenValidityTimeInMonths: 12 });
    expect(byAdmin.tokenForUserKey).to.equal(r.bob.key);
    expect((await app.request('POST', `${API}/user/token`, { auth: pw('admin'), body: { tokenForUserKey: 'NOPE' } })).status).to.equal(404);
    const created = app.host.audit.events.filter((e) => e.action === 'token.created');
    expect(created.map((e) => e.attributes?.tokenCreatedByUserKey)).to.deep.equal([r.manager.key, 'admin']);
  });

  it('should refuse a token for an inactive user with 400 USER_INACTIVE and create nothing (docs/api.md "Create")', async () => {
    app.host.users.setActive('bob', false);
    for (const who of ['admin', 'manager']) {
      expectError(await app.request('POST', `${API}/user/token`, { auth: pw(who), body: { tokenForUserKey: r.bob.key } }), 'USER_INACTIVE', who);
    }
    app.host.users.setActive('bob', true);
    const listed = await app.request('GET', `${API}/user/token`, { auth: pw('bob') });
    expect(listed.body).to.deep.equal([]);
    expect(app.host.audit.events.filter((e) => e.action === 'token.created')).to.deep.equal([]);
  });

  it('should answer 401 to anonymous callers', async () => {
    expect((await app.request('POST', `${API}/user/token`, { body: {} })).status).to.equal(401);
  });

  it('should let readOnlyOnlyGroups members create read-only tokens only', async () => {
    app.host.users.addGroup('readers');
    expect((await app.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { readOnlyOnlyGroups: ['readers'] } })).status).to.equal(200);
    app.host.users.addToGroup('alice', 'readers');
    expect((await app.request('POST', `${API}/user/token`, { auth: pw('alice'), body: { tokenScope: 2 } })).status).to.equal(403);
    expect((await createToken(app, 'alice')).tokenScope).to.equal(1);
  });

  it('should never let a read-only token mint a stronger token', async () => {
    const ro = await createToken(app, 'alice', { tokenScope: 1 });
    const stronger = await app.request('POST', `${API}/user/token`, { auth: bearer(ro.plainTextToken), body: { tokenScope: 2 } });
    expect(stronger.status).to.equal(403);
    const same = await app.request('POST', `${API}/user/token`, { auth: bearer(ro.plainTextToken), body: { tokenScope: 1 } });
    expect(same.status).to.equal(200);
    const dflt = await app.request('POST', `${API}/user/token`, { auth: bearer(ro.plainTextToken), body: {} });
    expect((dflt.body as { tokenScope: number }).tokenScope).to.equal(1);
  });

  it('should hold maxTokensPerUser under concurrent creates', async () => {
    await app.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { maxTokensPerUser: 3 } });
    const results = await Promise.all(Array.from({ length: 8 }, () => app.request('POST', `${API}/user/token`, { auth: pw('alice'), body: {} })));
    expect(results.filter((x) => x.status === 200)).to.have.length(3);
    expect(results.filter((x) => x.status === 409)).to.have.length(5);
    expect(app.host.ao.dump('Token')).to.have.length(3);
  });

  it('should store only salt and hash, never the plain token', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    const dump = JSON.stringify(app.host.ao.dump('Token'));
    expect(dump).to.not.include(plainTextToken);
    expect(dump).to.not.include(plainTextToken.slice(20, 48));
    expect(JSON.stringify(app.host.audit.events)).to.not.include(plainTextToken.slice(20, 48));
  });

  it('should answer in German for Accept-Language de', async () => {
    const res = await app.request('POST', `${API}/user/token`, { auth: pw('alice'), body: { tokenScope: 9 }, headers: { 'accept-language': 'de-DE,de;q=0.9' } });
    expect(res.status).to.equal(400);
    expect((res.body as { errorMessage: string }).errorMessage).to.include('ungültige');
  });
});
