// Attack review (2026-12-04), rule family 1: "privilege never flows upward". Each case is an attempt by a
// weaker caller (read-only, restricted, ordinary or read-only sudo token, delegate, session) to get
// a token or a change stronger than itself, through another endpoint, method or URL spelling.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError, outcomeOf } from '../../support/errorCodes';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';
import { rawRequest } from '../restrictions/support/rawHttp';

const API_TOKENS = '/rest/api-tokens/latest';
const MYSELF = '/rest/api/2/myself';

forEachDatabase('Privilege never flows upward (attack review)', (kind) => {
  let e2e: E2eEnv;

  before(async () => {
    e2e = await startE2e('jira', kind);
  });
  after(() => stopAndCheckLeaks(e2e));

  const keep = <T extends { status: number; json: Record<string, unknown> | null }>(res: T): T => {
    const json = res.json ?? {};
    if (typeof json.plainTextToken === 'string') e2e.issued.push(json.plainTextToken);
    if (typeof json.token === 'string') e2e.issued.push(json.token);
    return res;
  };
  const settings = (body: Record<string, unknown>) => e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body });
  const own = async (user: 'alice' | 'admin' | 'manager', id: number) =>
    ((await e2e.as(user, `${API}/user/token`)).json as Array<Record<string, unknown>>).find((t) => t.id === id);

  it('should keep a read-only token from minting anything but read-only tokens, on every spelling of create', async () => {
    const ro = await e2e.createToken('alice', { tokenScope: 1, tokenDescription: 'ro' });
    for (const body of [{ tokenScope: 2 }, { tokenScope: 0 }]) {
      expectError(keep(await e2e.req(`${API}/user/token`, { method: 'POST', bearer: ro.plainTextToken, body })), 'SCOPE_TOO_WEAK', JSON.stringify(body));
    }
    // Another version, trailing slash, Basic: still only read-only.
    for (const path of ['/rest/de.resolution.apitokenauth/1.0/user/token', `${API}/user/token/`]) {
      const res = keep(await e2e.req(path, { method: 'POST', auth: ['alice', ro.plainTextToken], body: {} }));
      expect(res.status, path).to.equal(200);
      expect(res.json.tokenScope, path).to.equal(1);
    }
    // Spellings the read-only exception does not name are refused, never widened.
    for (const path of ['/rest/de.resolution.apitokenauth/LATEST/user/token', '/rest/De.Resolution.ApiTokenAuth/latest/user/token', '/rest/de.resolution.apitokenauth/latest/User/Token']) {
      const res = keep(await e2e.req(path, { method: 'POST', bearer: ro.plainTextToken, body: { tokenScope: 2 } }));
      expect(res.status, path).to.equal(403);
      expect(res.text).not.to.include('apitok_');
    }
    // The other API: POST refused by the filter (not a read-only exception).
    const viaApiTokens = keep(await e2e.req(`${API_TOKENS}/`, { method: 'POST', bearer: ro.plainTextToken, body: { label: 'x' } }));
    expect(viaApiTokens.status).to.equal(403);
    // Method override headers change nothing: the filter reads the real method.
    const sibling = await e2e.createToken('alice', { tokenDescription: 'rw sibling' });
    for (const h of ['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override']) {
      const r = keep(await e2e.req(`${API}/user/token/${sibling.id}/rotate`, { method: 'POST', bearer: ro.plainTextToken, headers: { [h]: 'GET' } }));
      expect(r.status, h).to.equal(403);
    }
    const rotate = keep(await e2e.req(`${API}/user/token/${ro.id}/rotate`, { method: 'POST', bearer: ro.plainTextToken }));
    expect(rotate.status).to.equal(403);
  });

  it('should keep a read-only sudo token from minting a read/write sudo token, a user-less token or regenerating itself', async () => {
    expect((await settings({ sudoTokensAllowed: true })).status).to.equal(200);
    try {
      const roSudo = await e2e.createToken('admin', { sudo: true, tokenScope: 1, tokenDescription: 'ro sudo' });
      const rwSudo = keep(await e2e.req(`${API}/user/token`, { method: 'POST', bearer: roSudo.plainTextToken, body: { sudo: true, tokenScope: 2 } }));
      expectError(rwSudo, 'SCOPE_TOO_WEAK', 'rw sudo via ro sudo');
      const defaultSudo = keep(await e2e.req(`${API}/user/token`, { method: 'POST', bearer: roSudo.plainTextToken, body: { sudo: true } }));
      // Whatever the answer, no read/write token comes out of it.
      if (defaultSudo.status === 200) expect(defaultSudo.json.tokenScope).to.equal(1);
      const userless = keep(await e2e.req(`${API}/user/token`, { method: 'POST', bearer: roSudo.plainTextToken,
        body: { userless: true, tokenScope: 1, restrictions: '[GET].*/rest/api/2/myself' } }));
      expectError(userless, 'SCOPE_TOO_WEAK', 'userless via ro sudo');
      const self = keep(await e2e.req(`${API}/user/token/${roSudo.id}/rotate`, { method: 'POST', bearer: roSudo.plainTextToken }));
      expect(self.status).to.equal(403);
      // Run as alice: still read-only, and never on the token API in any spelling.
      const write = await e2e.req('/rest/api/2/issue', { method: 'POST', bearer: roSudo.plainTextToken, headers: { 'X-Atlassian-Run-As': 'alice' },
        body: { fields: { project: { key: 'JRA' }, summary: 's', issuetype: { name: 'Bug' } } } });
      expect(write.status).to.equal(403);
      for (const path of ['/rest/API-TOKENS/latest/', '/rest/De.Resolution.ApiTokenAuth/1.0/user/token']) {
        const r = keep(await e2e.req(path, { method: 'GET', bearer: roSudo.plainTextToken, headers: { 'X-Atlassian-Run-As': 'alice' } }));
        expect(r.status, path).to.equal(403);
      }
    } finally {
      await settings({ sudoTokensAllowed: false });
    }
  });

  it('should keep an ordinary system-admin token from creating or regenerating sudo and user-less tokens', async () => {
    expect((await settings({ sudoTokensAllowed: true })).status).to.equal(200);
    try {
      const plain = await e2e.createToken('admin', { tokenDescription: 'plain admin token' });
      expectError(keep(await e2e.req(`${API}/user/token`, { method: 'POST', bearer: plain.plainTextToken, body: { sudo: true } })), 'TOKEN_PRIVILEGE_EXCEEDED', 'sudo');
      expectError(keep(await e2e.req(`${API}/user/token`, { method: 'POST', bearer: plain.plainTextToken,
        body: { userless: true, restrictions: '.*' } })), 'TOKEN_PRIVILEGE_EXCEEDED', 'userless');
      // A sudo token made by password, later than the caller: regenerating it through the plain token.
      const sudo = await e2e.createToken('admin', { sudo: true, tokenValidityTimeInMonths: 1 });
      const r = keep(await e2e.req(`${API}/user/token/${sudo.id}/rotate`, { method: 'POST', bearer: plain.plainTextToken }));
      expectError(r, 'TOKEN_PRIVILEGE_EXCEEDED', 'rotate sudo via plain');
      // And the plain token cannot turn itself or another into a sudo token by PATCH.
      const patch = keep(await e2e.req(`${API}/user/token/${plain.id}`, { method: 'PATCH', bearer: plain.plainTextToken, body: { sudo: true } }));
      expect(patch.status).to.equal(400);
      expect((await own('admin', plain.id))?.sudo).to.equal(false);
    } finally {
      await settings({ sudoTokensAllowed: false });
    }
  });

  it('should keep a restricted token (URL rule covering the token API) from editing its own restrictions away on either API', async () => {
    const r = await e2e.createToken('alice', { restrictions: '.*/rest/.*', tokenDescription: 'wide rule' });
    for (const [path, method, body] of [
      [`${API}/user/token/${r.id}`, 'PATCH', { restrictions: null }],
      [`${API}/user/token/${r.id}`, 'PATCH', { ipAllowlist: [] }],
      [`/rest/de.resolution.apitokenauth/1.0/user/token/${r.id}/`, 'PATCH', { restrictions: null }],
      [`${API}/user/token/${r.id}/rotate`, 'POST', {}],
      [`${API}/user/token`, 'POST', {}],
      [`${API_TOKENS}`, 'POST', { label: 'x' }],
    ] as const) {
      const res = keep(await e2e.req(path, { method, bearer: r.plainTextToken, body }));
      expectError(res, 'RESTRICTED_TOKEN_FORBIDDEN', `${method} ${path}`);
    }
    expect((await own('alice', r.id))?.restrictions).not.to.equal(null);
  });

  it('should not let an unrestricted token re-shape a restricted sibling into an unrestricted one by PATCH, in any form', async () => {
    const caller = await e2e.createToken('alice', { tokenDescription: 'caller', tokenValidityTimeInMonths: 6 });
    const restricted = await e2e.createToken('alice', { tokenDescription: 'restricted', tokenValidityTimeInMonths: 1,
      restrictions: '[GET].*/rest/api/2/myself', ipAllowlist: ['127.0.0.1'] });
    for (const body of [
      { restrictions: null },
      { restrictions: '' },
      { restrictions: [] },
      { restrictions: { rules: [] } },
      { restrictions: '.*', ipAllowlist: null },
      { ipAllowlist: ['0.0.0.0/0', '::/0'] },
      { restrictions: '[GET].*/rest/api/2/myself', ipAllowlist: ['127.0.0.0/8'] },
    ]) {
      const res = await e2e.req(`${API}/user/token/${restricted.id}`, { method: 'PATCH', bearer: caller.plainTextToken, body });
      expect([400, 403], `${JSON.stringify(body)} → ${outcomeOf(res)}`).to.include(res.status);
    }
    const after = await own('alice', restricted.id);
    expect(after?.restrictionsText).to.match(/myself/);
    expect(JSON.stringify(after?.restrictions)).to.include('127.0.0.1');
  });

  it('should not let a delegate (on-behalf, plain user) mint or regenerate a token for an admin or system admin by key spelling', async () => {
    const adminKey = e2e.users.admin.key;
    for (const key of [adminKey, adminKey.toUpperCase(), ` ${adminKey}`, `${adminKey} `, e2e.users.admin.name, e2e.users.admin.email]) {
      const res = keep(await e2e.as('manager', `${API}/user/token`, { method: 'POST', body: { tokenForUserKey: key } }));
      expect(res.status, `${JSON.stringify(key)} → ${outcomeOf(res)}`).not.to.equal(200);
    }
    // Through the delegate's own read/write token: the same.
    const mt = await e2e.createToken('manager', { tokenDescription: 'manager token' });
    const viaToken = keep(await e2e.req(`${API}/user/token`, { method: 'POST', bearer: mt.plainTextToken, body: { tokenForUserKey: adminKey } }));
    expectError(viaToken, 'TARGET_OUTRANKS_CALLER', 'via token');
    // The admin's own token is out of reach.
    const at = await e2e.createToken('admin', { tokenDescription: 'admin tok' });
    for (const [path, method] of [[`${API}/user/token/${at.id}/rotate`, 'POST'], [`${API}/user/token/${at.id}`, 'PATCH']] as const) {
      const res = keep(await e2e.req(path, { method, bearer: mt.plainTextToken, body: method === 'PATCH' ? { tokenDescription: 'x' } : {} }));
      expectError(res, 'TOKEN_NOT_FOUND', `${method} ${path}`);
    }
  });

  it('should not let a token regenerate a token that outlives it via the other version or a trailing slash', async () => {
    const caller = await e2e.createToken('alice', { tokenDescription: 'short', tokenValidityTimeInMonths: 1 });
    const longer = await e2e.createToken('alice', { tokenDescription: 'long', tokenValidityTimeInMonths: 12 });
    for (const path of [`${API}/user/token/${longer.id}/rotate`, `/rest/de.resolution.apitokenauth/1.0/user/token/${longer.id}/rotate/`]) {
      const res = keep(await e2e.req(path, { method: 'POST', bearer: caller.plainTextToken }));
      expectError(res, 'TOKEN_PRIVILEGE_EXCEEDED', path);
    }
    expect((await e2e.req(MYSELF, { bearer: longer.plainTextToken })).status).to.equal(200);
  });

  it('should refuse raw URL spellings of the token API for a read-only token (dot segments, encoded slash, path params, double slash)', async () => {
    const ro = await e2e.createToken('alice', { tokenScope: 1, tokenDescription: 'ro raw' });
    for (const raw of [
      '/rest/api/2/search/../../de.resolution.apitokenauth/latest/user/token/1/rotate',
      '/rest/de.resolution.apitokenauth/latest/user/token/1%2frotate',
      '/rest/de.resolution.apitokenauth/latest/user/token;x=1',
      '/rest/de.resolution.apitokenauth/latest//user/token',
      '/rest/de.resolution.apitokenauth/latest/user/./token',
      '/rest/api/2/search;/../../../de.resolution.apitokenauth/latest/user/token',
      '/rest/api/2/search%3f/../x',
    ]) {
      const res = await rawRequest(e2e.host.url, raw, { method: 'POST', bearer: ro.plainTextToken, headers: { 'Content-Type': 'application/json' }, body: '{"tokenScope":2}' });
      keep(res);
      expect(res.status, `${raw} → ${res.status} ${res.text.slice(0, 100)}`).to.be.oneOf([400, 403, 404]);
      expect(res.text).not.to.include('apitok_');
    }
  });
});
