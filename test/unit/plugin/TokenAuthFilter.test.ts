import { expect } from 'chai';
import { CHECKSUM_LENGTH, tokenChecksum } from '../../../plugin/token/TokenFormat';
import { API, basic, bearer, type PluginApp } from './support/pluginApp';
import { createToken, pw, startWithRoles, type Roles } from './support/fixtures';
import { expectError } from '../../support/errorCodes';

describe('TokenAuthFilter', () => {
  let r: Roles;
  let app: PluginApp;
  beforeEach(async () => { r = await startWithRoles({ failedAttemptsPerMinute: 5 }); app = r.app; });
  afterEach(async () => { await app.close(); });

  it('should authenticate Basic username:token as the owner without a session', async () => {
    const { id, plainTextToken } = await createToken(app, 'alice');
    const res = await app.request('GET', '/rest/api/2/myself', { auth: basic('alice', plainTextToken) });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ name: 'alice', key: r.alice.key, method: 'api-token', credentialId: String(id) });
    expect(res.headers.get('set-cookie')).to.equal(null);
  });

  it('should accept the e-mail address as Basic user name', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    const res = await app.request('GET', '/rest/api/2/myself', { auth: basic('alice@example.com', plainTextToken) });
    expect(res.status).to.equal(200);
  });

  it('should authenticate Bearer as the owner', async () => {
    const { plainTextToken } = await createToken(app, 'bob');
    const res = await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) });
    expect(res.status).to.equal(200);
    expect((res.body as { name: string }).name).to.equal('bob');
  });

  it('should log exactly one success line naming user and token id, and never the token', async () => {
    const { id, plainTextToken } = await createToken(app, 'alice');
    await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) });
    const lines = app.host.logLines.filter((l) => l.includes('has been authenticated via API Token'));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include(`alice has been authenticated via API Token (${id})`);
    expect(app.host.logLines.join('\n')).to.not.include(plainTextToken);
  });

  it('should refuse a token of another user named in Basic with 401 and a challenge', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    const res = await app.request('GET', '/rest/api/2/myself', { auth: basic('bob', plainTextToken) });
    expect(res.status).to.equal(401);
    expect(res.headers.get('www-authenticate')).to.match(/^Basic realm=/);
    expect(res.body).to.have.keys(['errorMessage']);
    expect(app.host.login.failures).to.deep.equal([]);
  });

  it('should refuse a wrong secret, a typo and an unknown token alike', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    const withChecksum = (body: string) => body + tokenChecksum(body);
    const body = plainTextToken.slice(0, -CHECKSUM_LENGTH);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1);
    const probes = {
      // Right public id, wrong secret, valid checksum: reaches the hash comparison.
      WRONG_SECRET: withChecksum(flip(body, 25)),
      // Unknown public id, valid checksum: reaches the (cached or database) lookup.
      UNKNOWN_TOKEN: withChecksum(flip(body, 8)),
      // A typo anywhere: the checksum answers without a lookup.
      BAD_CHECKSUM: flip(plainTextToken, 30),
    };
    const bodies = new Set<string>();
    for (const [reason, token] of Object.entries(probes)) {
      const res = await app.request('GET', '/rest/api/2/myself', { auth: bearer(token) });
      expect(res.status, reason).to.equal(401);
      expect(res.headers.get('www-authenticate')).to.match(/^Bearer realm=".*", error="invalid_token"$/);
      bodies.add(res.text);
      expect(app.host.logLines.some((l) => l.includes('API token refused') && l.includes(reason)), reason).to.equal(true);
    }
    expect(bodies.size).to.equal(1);
  });

  it('should answer expired, revoked, inactive, deleted-owner, unlicensed and scheme refusals with the one generic 401, logging the real reason', async () => {
    // docs/api.md "Token authentication": one generic message for every failure, the reason only in the log. Pinned for
    // wrong secrets, unknown ids and typos (above); these reasons were checked for their 401 only.
    const own = await startWithRoles({ failedAttemptsPerMinute: 100 });
    try {
      const a = own.app;
      const generic = await a.request('GET', '/rest/api/2/myself', { auth: bearer(`apitok_AAAAAAAAAAAA_${'B'.repeat(28)}CCCCCC`) });
      expectError(generic, 'TOKEN_AUTH_FAILED', 'generic');
      const soon = await createToken(a, 'alice', { tokenExpirationDateTimeMillis: a.host.clock.now() + 60_000 });
      const revoked = await createToken(a, 'alice');
      const ofInactive = await createToken(a, 'bob');
      const ofDeleted = await createToken(a, 'manager');
      const ok = await createToken(a, 'alice');
      expect((await a.request('DELETE', `${API}/user/token/${revoked.id}`, { auth: pw('alice') })).status).to.equal(200);
      a.host.clock.advance(120_000);
      a.host.users.setActive('bob', false);
      a.host.users.deleteUser('manager');
      const cases: Array<[reason: string, use: () => Promise<{ status: number; headers: Headers; text: string }>]> = [
        ['EXPIRED', () => a.request('GET', '/rest/api/2/myself', { auth: bearer(soon.plainTextToken) })],
        ['UNKNOWN_TOKEN', () => a.request('GET', '/rest/api/2/myself', { auth: bearer(revoked.plainTextToken) })],
        ['USER_INACTIVE', () => a.request('GET', '/rest/api/2/myself', { auth: bearer(ofInactive.plainTextToken) })],
        ['USER_NOT_FOUND', () => a.request('GET', '/rest/api/2/myself', { auth: bearer(ofDeleted.plainTextToken) })],
        ['SCHEME_NOT_ALLOWED', async () => {
          expect((await a.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { authSchemes: 'basic' } })).status).to.equal(200);
          try { return await a.request('GET', '/rest/api/2/myself', { auth: bearer(ok.plainTextToken) }); } finally {
            expect((await a.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { authSchemes: 'both' } })).status).to.equal(200);
          }
        }],
        ['UNLICENSED', async () => {
          a.host.licence.state = 'expired';
          try { return await a.request('GET', '/rest/api/2/myself', { auth: bearer(ok.plainTextToken) }); } finally { a.host.licence.state = 'valid'; }
        }],
      ];
      for (const [reason, use] of cases) {
        const res = await use();
        expect(res.status, reason).to.equal(401);
        expect(res.text, reason).to.equal(generic.text);
        expect(res.headers.get('www-authenticate'), reason).to.be.a('string').and.not.equal('');
        expect(a.host.logLines.some((l) => l.includes('API token refused') && l.includes(reason)), `${reason} logged`).to.equal(true);
      }
      expect((await a.request('GET', '/rest/api/2/myself', { auth: bearer(ok.plainTextToken) })).status, 'the good token afterwards').to.equal(200);
    } finally {
      await own.app.close();
    }
  });

  // RFC 9110 §11.6.1: a 401's challenge names a scheme the resource accepts. A token sent with the
  // scheme authSchemes switched off used to be challenged with that very scheme (spec audit).
  it('should challenge a token sent with a switched-off scheme with the scheme that is allowed', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    try {
      expect((await app.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { authSchemes: 'basic' } })).status).to.equal(200);
      const viaBearer = await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) });
      expect(viaBearer.status).to.equal(401);
      expect(viaBearer.headers.get('www-authenticate')).to.match(/^Basic realm=/);
      expect((await app.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { authSchemes: 'bearer' } })).status).to.equal(200);
      const viaBasic = await app.request('GET', '/rest/api/2/myself', { auth: basic('alice', plainTextToken) });
      expect(viaBasic.status).to.equal(401);
      expect(viaBasic.headers.get('www-authenticate')).to.match(/^Bearer realm=".*", error="invalid_token"$/);
    } finally {
      expect((await app.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { authSchemes: 'both' } })).status).to.equal(200);
    }
  });

  it('should split Basic credentials at the first colon only', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    const res = await app.request('GET', '/rest/api/2/myself', { auth: basic('alice', `${plainTextToken}:extra`) });
    // The password is `token:extra`: not the token (a split at every colon would have admitted
    // it), and as it starts with the token prefix the plugin refuses it, not the password check.
    expect(res.status).to.equal(401);
    expect(res.headers.get('www-authenticate')).to.match(/^Basic realm=/);
    expect(app.host.login.failures).to.deep.equal([]);
  });

  it('should let password Basic auth fall through to the host', async () => {
    const res = await app.request('GET', '/rest/api/2/myself', { auth: pw('alice') });
    expect(res.status).to.equal(200);
    expect((res.body as { method: string }).method).to.equal('password');
  });

  it('should refuse password Basic auth with 401 when passwordBasicAuthAllowed is false', async () => {
    await app.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { passwordBasicAuthAllowed: false } });
    const res = await app.request('GET', '/rest/api/2/myself', { auth: pw('alice') });
    expect(res.status).to.equal(401);
    expect(res.headers.get('www-authenticate')).to.match(/^Basic/);
  });

  it('should honour the authSchemes setting', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    await app.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { authSchemes: 'basic' } });
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(401);
    expect((await app.request('GET', '/rest/api/2/myself', { auth: basic('alice', plainTextToken) })).status).to.equal(200);
    await app.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { authSchemes: 'bearer' } });
    expect((await app.request('GET', '/rest/api/2/myself', { auth: basic('alice', plainTextToken) })).status).to.equal(401);
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(200);
  });

  it('should allow a read-only token to read but not to write (403)', async () => {
    const { plainTextToken } = await createToken(app, 'alice', { tokenScope: 1 });
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(200);
    expect((await app.request('HEAD', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(200);
    const res = await app.request('POST', '/rest/api/2/myself', { auth: bearer(plainTextToken), body: {} });
    expect(res.status).to.equal(403);
  });

  it('should say which limit refused: read-only scope, restriction or IP allowlist (without the rule)', async () => {
    const text = (code: string) => app.host.context.services.i18nResolver.getText('en', `apitokenauth.error.${code}`);
    const readOnly = await createToken(app, 'alice', { tokenScope: 1 });
    const restricted = await createToken(app, 'alice', { restrictions: '[GET].*/rest/api/2/serverInfo' });
    const elsewhere = await createToken(app, 'alice', { ipAllowlist: ['192.0.2.1'] });
    const answers = {
      TOKEN_READ_ONLY: await app.request('POST', '/rest/api/2/myself', { auth: bearer(readOnly.plainTextToken), body: {} }),
      TOKEN_RESTRICTED: await app.request('GET', '/rest/api/2/myself', { auth: bearer(restricted.plainTextToken) }),
      TOKEN_IP_NOT_ALLOWED: await app.request('GET', '/rest/api/2/myself', { auth: bearer(elsewhere.plainTextToken) }),
    };
    for (const [code, res] of Object.entries(answers)) {
      expect(res.status, code).to.equal(403);
      expect((res.body as { errorMessage: string }).errorMessage, code).to.equal(text(code));
      expect(res.text, code).to.not.include('serverInfo').and.not.include('192.0.2.1');
    }
  });

  it('should treat a legacy scope-0 token as read/write', async () => {
    const { id, plainTextToken } = await createToken(app, 'alice');
    await app.host.ao.update('Token', { SCOPE: 0 }, 'ID = ?', [id]);
    expect((await app.request('POST', '/rest/api/2/myself', { auth: bearer(plainTextToken), body: {} })).status).to.equal(200);
  });

  it('should refuse an expired token on the very next request', async () => {
    const { plainTextToken } = await createToken(app, 'alice', { tokenValidityTimeInMonths: 1 });
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(200);
    app.host.clock.advance(32 * 86400000);
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(401);
  });

  it('should refuse tokens of inactive and deleted users', async () => {
    const a = await createToken(app, 'alice');
    const b = await createToken(app, 'bob');
    app.host.users.setActive('alice', false);
    app.host.users.deleteUser('bob');
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(a.plainTextToken) })).status).to.equal(401);
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(b.plainTextToken) })).status).to.equal(401);
  });

  it('should refuse every token while the plugin is unlicensed', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    app.host.licence.state = 'expired';
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(401);
  });

  it('should refuse users outside tokenUserGroups', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    app.host.users.addGroup('api-users');
    expect((await app.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { tokenUserGroups: ['api-users'] } })).status).to.equal(200);
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(401);
    app.host.users.addToGroup('alice', 'api-users');
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(200);
  });

  it('should apply readOnlyOnlyGroups to existing tokens the moment a user joins such a group', async () => {
    const { plainTextToken } = await createToken(app, 'alice', { tokenScope: 2 });
    expect((await app.request('POST', '/rest/api/2/myself', { auth: bearer(plainTextToken), body: {} })).status).to.equal(200);
    app.host.users.addGroup('readers');
    expect((await app.request('PUT', `${API}/admin/settings`, { auth: pw('admin'), body: { readOnlyOnlyGroups: ['readers'] } })).status).to.equal(200);
    expect((await app.request('POST', '/rest/api/2/myself', { auth: bearer(plainTextToken), body: {} })).status).to.equal(200);
    app.host.users.addToGroup('alice', 'readers');
    expect((await app.request('POST', '/rest/api/2/myself', { auth: bearer(plainTextToken), body: {} })).status).to.equal(403);
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(200);
  });

  it('should admit a valid token whatever the CAPTCHA state of its user, by Basic and Bearer', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    for (let i = 0; i < 3; i++) await app.host.login.recordFailedLogin('alice');
    expect((await app.request('GET', '/rest/api/2/myself', { auth: basic('alice', plainTextToken) })).status).to.equal(200);
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(200);
    // A token success leaves the password counter alone: it is the host's, for passwords.
    expect((await app.host.login.getLoginInfo('alice')).currentFailedLoginCount).to.equal(3);
  });

  it('should never count wrong tokens on the failed-login counter, and answer alike for real and unknown users', async () => {
    const { plainTextToken } = await createToken(app, 'bob');
    const wrong = `apitok_AAAAAAAAAAAA_${'B'.repeat(28)}${'C'.repeat(6)}`;
    const texts = new Set<string>();
    for (const user of ['bob', 'bob', 'bob', 'bob', 'nosuchuser']) {
      const res = await app.request('GET', '/rest/api/2/myself', { auth: basic(user, wrong) });
      expect(res.status).to.equal(401);
      expect(res.headers.get('x-seraph-loginreason')).to.equal(null);
      texts.add(`${res.status} ${res.headers.get('www-authenticate')} ${res.text}`);
    }
    expect(texts.size).to.equal(1);
    expect(app.host.login.failures).to.deep.equal([]);
    expect((await app.request('GET', '/rest/api/2/myself', { auth: basic('bob', plainTextToken) })).status).to.equal(200);
    expect((await app.request('GET', '/rest/api/2/myself', { auth: pw('bob') })).status).to.equal(200);
  });

  it('should decide a token sent to a URL outside /rest/ itself: 401, never the password check', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    // Two rounds: these refusals count on the client's failure counter (5 a minute in this suite).
    for (let i = 0; i < 2; i++) {
      const res = await app.request('GET', '/secure/ViewProfile.jspa', { auth: basic('alice', plainTextToken) });
      expect(res.status).to.equal(401);
      const truncated = await app.request('GET', '/rest/api/2/myself', { auth: basic('alice', plainTextToken.slice(0, 20)) });
      expect(truncated.status).to.equal(401);
    }
    expect((await app.request('GET', '/secure/ViewProfile.jspa', { auth: bearer(plainTextToken) })).status).to.equal(401);
    expect(app.host.login.failures).to.deep.equal([]);
    expect(app.host.logLines.some((l) => l.includes('NOT_A_REST_URL'))).to.equal(true);
  });

  it('should say that tokens work only for REST URLs when one is sent elsewhere, with a challenge (docs/api.md)', async () => {
    // The 401 above was checked, not what it tells the client: the generic "authentication failed"
    // would leave a script author guessing why a valid token is refused on a page URL.
    const { plainTextToken } = await createToken(app, 'alice');
    for (const auth of [basic('alice', plainTextToken), bearer(plainTextToken)]) {
      const res = await app.request('GET', '/secure/ViewProfile.jspa', { auth });
      expectError(res, 'TOKEN_REST_ONLY', auth.slice(0, 6));
      expect(res.headers.get('www-authenticate'), auth.slice(0, 6)).to.be.a('string').and.not.equal('');
    }
    expectError(await app.request('GET', '/rest/api/2/myself', { auth: basic('alice', `${plainTextToken.slice(0, -6)}000000`) }), 'TOKEN_AUTH_FAILED', 'on /rest/');
  });

  it('should throttle failing attempts per IP with 429 and Retry-After, but never a token that verifies', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    const bad = `${plainTextToken.slice(0, -6)}000000`;
    for (let i = 0; i < 5; i++) expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(bad) })).status).to.equal(401);
    const res = await app.request('GET', '/rest/api/2/myself', { auth: bearer(bad) });
    expect(res.status).to.equal(429);
    expect(Number(res.headers.get('retry-after'))).to.be.within(1, 60);
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) })).status).to.equal(200);
    app.host.clock.advance(61000);
    expect((await app.request('GET', '/rest/api/2/myself', { auth: bearer(bad) })).status).to.equal(401);
  });

  it('should refuse a request target with a fragment with 400 before any rule is read', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    const ctx = app.host.context.contextPath;
    for (const target of [`${ctx}/rest/api/2/myself#/rest/api/2/issue/TEST-1`, `http://localhost${ctx}/rest/api/2/myself#x`]) {
      const res = await app.requestTarget('GET', target, { auth: bearer(plainTextToken) });
      expect(res.status, target).to.equal(400);
    }
    expect((await app.requestTarget('GET', `http://localhost${ctx}/rest/api/2/myself`, { auth: bearer(plainTextToken) })).status).to.equal(200);
  });

  it('should answer 503 and never pass through as anonymous when the database is down', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    app.host.ao.available = false;
    const res = await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) });
    expect(res.status).to.equal(503);
    expect(res.body).to.have.keys(['errorMessage']);
  });

  it('should need no database statement once the token is cached', async () => {
    const { plainTextToken } = await createToken(app, 'alice');
    await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) });
    const before = { ...app.host.ao.statements };
    const settingsReads = app.host.settings.reads;
    for (let i = 0; i < 5; i++) await app.request('GET', '/rest/api/2/myself', { auth: bearer(plainTextToken) });
    expect(app.host.ao.statements).to.deep.equal(before);
    expect(app.host.settings.reads).to.equal(settingsReads);
  });

  it('should leave requests without credentials to the host', async () => {
    const res = await app.request('GET', '/rest/api/2/myself');
    expect(res.status).to.equal(401);
    expect(res.body).to.deep.equal({ errorMessage: 'anonymous' });
  });
});
