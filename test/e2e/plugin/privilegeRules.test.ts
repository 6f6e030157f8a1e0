// Issue 11 B and F against a real host on every database and both products: the reproductions of
// the review, turned into regression tests (docs/api.md "What a token may do"). On Confluence the
// product admins are `site-admins` and the system admins `confluence-administrators`.
import { expect } from 'chai';
import type { Product } from '../../../host-sim/spi';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, type E2eEnv, type E2eUser, stopAndCheckLeaks } from './support/e2eHost';

const API_TOKENS = '/rest/api-tokens/latest';
const MYSELF: Record<Product, string> = { jira: '/rest/api/2/myself', confluence: '/rest/api/user/current' };
/** Each product's users group and its product admins (ADMINISTER, not SYSTEM_ADMIN). */
const GROUPS: Record<Product, { users: string; admins: string }> = {
  jira: { users: 'jira-software-users', admins: 'jira-admins' },
  confluence: { users: 'confluence-users', admins: 'site-admins' },
};
const DAY = 86_400_000;

for (const product of ['jira', 'confluence'] as const) forEachDatabase(`privilege rules of the token service on ${product}`, (kind) => {
  let e2e: E2eEnv;
  let padmin: E2eUser;
  const myself = MYSELF[product];

  before(async () => {
    e2e = await startE2e(product, kind);
    // A product admin, not a system admin.
    const created = await e2e.host.runtime.users.createUser({ name: 'padmin', password: 'padmin-pw-1', email: 'padmin@example.com', displayName: 'PADMIN',
      groups: [GROUPS[product].users, GROUPS[product].admins] });
    padmin = { name: 'padmin', password: 'padmin-pw-1', key: created.key, email: 'padmin@example.com' };
  });
  after(() => stopAndCheckLeaks(e2e));

  const settings = (body: Record<string, unknown>) => e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body });
  const asPadmin = (path: string, options: Parameters<E2eEnv['req']>[1] = {}) => e2e.req(path, { ...options, auth: [padmin.name, padmin.password] });
  const keep = (res: { json?: { plainTextToken?: string; token?: string } }) => {
    if (res.json?.plainTextToken) e2e.issued.push(res.json.plainTextToken);
    if (res.json?.token) e2e.issued.push(res.json.token);
  };

  it('(a) should refuse a token restricted only by an IP allowlist that rotates its sibling: 403, no secret', async () => {
    const restricted = await e2e.createToken('alice', { tokenDescription: 'ip only', ipAllowlist: ['127.0.0.1'] });
    const sibling = await e2e.createToken('alice', { tokenDescription: 'sibling' });
    expect((await e2e.req(myself, { bearer: restricted.plainTextToken })).status).to.equal(200);
    const rotate = await e2e.req(`${API}/user/token/${sibling.id}/rotate`, { method: 'POST', bearer: restricted.plainTextToken });
    keep(rotate);
    expectError(rotate, 'RESTRICTED_TOKEN_FORBIDDEN', 'rotate');
    expect(rotate.text).not.to.include('apitok_');
    expect((await e2e.req(myself, { bearer: sibling.plainTextToken })).status).to.equal(200);
    for (const [path, method, body] of [[`${API}/user/token`, 'POST', {}], [`${API}/user/token/${sibling.id}`, 'PATCH', { tokenDescription: 'x' }],
      [`${API}/user/token/${sibling.id}`, 'DELETE', undefined], [`${API_TOKENS}/`, 'POST', { label: 'x' }], [`${API_TOKENS}/all`, 'DELETE', undefined]] as const) {
      const res = await e2e.req(path, { method, body, auth: ['alice', restricted.plainTextToken] });
      keep(res);
      expectError(res, 'RESTRICTED_TOKEN_FORBIDDEN', `${method} ${path}`);
    }
    const list = await e2e.as('alice', `${API}/user/token`);
    expect((list.json as Array<{ id: number; description: string }>).find((t) => t.id === sibling.id)?.description).to.equal('sibling');
  });

  it('(b) should not let an on-behalf admin who is not a system admin create, rotate, edit or delete the system admin\'s tokens', async () => {
    expect((await settings({ createOnBehalfGroups: [GROUPS[product].admins, 'token-managers'] })).status).to.equal(200);
    try {
      const adminToken = await e2e.createToken('admin', { tokenDescription: 'admin own' });
      const create = await asPadmin(`${API}/user/token`, { method: 'POST', body: { tokenForUserKey: 'admin' } });
      keep(create);
      expectError(create, 'TARGET_OUTRANKS_CALLER', 'create for admin');
      for (const [path, method, body] of [[`${API}/user/token/${adminToken.id}/rotate`, 'POST', undefined],
        [`${API}/user/token/${adminToken.id}`, 'PATCH', { tokenDescription: 'mine now' }], [`${API}/user/token/${adminToken.id}/snippets`, 'GET', undefined],
        [`${API}/user/token/${adminToken.id}`, 'DELETE', undefined]] as const) {
        const res = await asPadmin(path, { method, body });
        keep(res);
        expectError(res, 'TOKEN_NOT_FOUND', `${method} ${path}`);
      }
      const listed = await asPadmin(`${API}/user/tokensByFilter?userFilter=admin`);
      expect(listed.status).to.equal(200);
      expect(listed.json.total).to.equal(0);
      expect((await e2e.req(myself, { bearer: adminToken.plainTextToken })).status).to.equal(200);
      expectError(await asPadmin(`${API}/admin/settings`, { method: 'PUT', body: { maxTokensPerUser: 5 } }), 'SYSADMIN_REQUIRED');
      // For a plain user the same member still can.
      const forBob = await asPadmin(`${API}/user/token`, { method: 'POST', body: { tokenForUserKey: e2e.users.bob.key } });
      keep(forBob);
      expect(forBob.status).to.equal(200);
      // The on-behalf member of token-managers (a plain user) cannot reach the product admin either.
      const forPadmin = await e2e.as('manager', `${API}/user/token`, { method: 'POST', body: { tokenForUserKey: padmin.key } });
      keep(forPadmin);
      expectError(forPadmin, 'TARGET_OUTRANKS_CALLER', 'user → admin');
    } finally {
      await settings({ createOnBehalfGroups: ['token-managers'] });
    }
  });

  it('(c) should not let an unrestricted token create a token that outlives it, nor extend its own expiry', async () => {
    const caller = await e2e.createToken('alice', { tokenValidityTimeInMonths: 1 });
    const until = caller.tokenExpirationDateTimeMillis as number;
    const explicit = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: caller.plainTextToken, body: { tokenExpirationDateTimeMillis: until + DAY } });
    keep(explicit);
    expectError(explicit, 'TOKEN_PRIVILEGE_EXCEEDED', 'explicit date');
    const months = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: caller.plainTextToken, body: { tokenValidityTimeInMonths: 12 } });
    keep(months);
    expect(months.status).to.equal(200);
    expect(months.json.tokenExpirationDateTimeMillis).to.be.at.most(until);
    const viaApiTokens = await e2e.req(`${API_TOKENS}/`, { method: 'POST', bearer: caller.plainTextToken, body: { label: 'default validity' } });
    keep(viaApiTokens);
    expect(viaApiTokens.status).to.equal(200);
    const listed = (await e2e.as('alice', `${API}/user/token`)).json as Array<{ description: string; validUntil: number }>;
    expect(listed.find((t) => t.description === 'default validity')?.validUntil).to.be.at.most(until);
    expectError(await e2e.req(`${API}/user/token/${caller.id}`, { method: 'PATCH', bearer: caller.plainTextToken, body: { tokenValidityTimeInMonths: 12 } }),
      'EXPIRY_EXTENSION_FORBIDDEN', 'own expiry later');
    const stored = (await e2e.as('alice', `${API}/user/token`)).json as Array<{ id: number; validUntil: number }>;
    expect(stored.find((t) => t.id === caller.id)?.validUntil).to.equal(until);
  });

  it('(d) should answer 409 to a PATCH of an expired token\'s expiry and keep refusing the token', async () => {
    const t = await e2e.createToken('alice', { tokenValidityTimeInMonths: 1 });
    try {
      expect((await e2e.as('admin', '/rest/hostsim/1.0/clock', { method: 'PUT', body: { offsetMillis: 40 * DAY } })).status).to.equal(200);
      expect((await e2e.req(myself, { bearer: t.plainTextToken })).status).to.equal(401);
      for (const user of ['alice', 'admin'] as const) {
        expectError(await e2e.as(user, `${API}/user/token/${t.id}`, { method: 'PATCH', body: { tokenValidityTimeInMonths: 6 } }), 'EXPIRED_TOKEN_FROZEN', user);
      }
      expectError(await e2e.as('alice', `${API}/user/token/${t.id}`, { method: 'PATCH', body: { tokenDescription: 'still here' } }), 'EXPIRED_TOKEN_FROZEN', 'description');
      expect((await e2e.req(myself, { bearer: t.plainTextToken })).status).to.equal(401);
      expect((await e2e.as('alice', `${API}/user/token/${t.id}`, { method: 'DELETE' })).status).to.equal(200);
    } finally {
      await e2e.as('admin', '/rest/hostsim/1.0/clock', { method: 'PUT', body: { offsetMillis: 0 } });
    }
  });

  it('(e) should create sudo tokens only for a system admin\'s own unrestricted token while sudoTokensAllowed is on, and show the flag', async () => {
    const attempt = async (user: 'admin' | 'alice', body: Record<string, unknown>) => {
      const res = await e2e.as(user, `${API}/user/token`, { method: 'POST', body });
      keep(res);
      return res;
    };
    expectError(await attempt('admin', { sudo: true }), 'SUDO_TOKENS_DISABLED', 'setting off');
    expect((await settings({ sudoTokensAllowed: true })).status).to.equal(200);
    try {
      expectError(await attempt('alice', { sudo: true }), 'SYSADMIN_REQUIRED', 'plain user');
      for (const body of [{ sudo: true, ipAllowlist: ['127.0.0.1'] }, { sudo: true, tokenForUserKey: e2e.users.bob.key }, { sudo: true, userless: true, restrictions: '.*' }]) {
        const res = await attempt('admin', body);
        expectError(res, 'VALIDATION_FAILED', JSON.stringify(body));
        expect(res.json.errors).to.have.property('sudo');
      }
      const sudo = await e2e.createToken('admin', { sudo: true, tokenDescription: 'sudo' });
      const plain = await e2e.createToken('admin', { tokenDescription: 'plain' });
      const list = (await e2e.as('admin', `${API}/user/token`)).json as Array<{ id: number; sudo: boolean }>;
      expect(list.find((t) => t.id === sudo.id)?.sudo).to.equal(true);
      expect(list.find((t) => t.id === plain.id)?.sudo).to.equal(false);
      expectError(await e2e.req(`${API}/user/token`, { method: 'POST', bearer: plain.plainTextToken, body: { sudo: true } }), 'TOKEN_PRIVILEGE_EXCEEDED', 'plain token');
      const bySudo = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: sudo.plainTextToken, body: { sudo: true, tokenDescription: 'by sudo' } });
      keep(bySudo);
      expect(bySudo.status).to.equal(200);
      const created = await e2e.auditEvents('token.created');
      const sudoAttribute = (id: number) => {
        const event = created.find((ev) => (ev.affectedObjects as Array<{ id: string }>)[0]?.id === String(id));
        return (event?.extraAttributes as Array<{ name: string; value: string }> | undefined)?.find((a) => a.name === 'sudo')?.value;
      };
      expect(sudoAttribute(sudo.id)).to.equal('true');
      expect(sudoAttribute(plain.id)).to.equal('false');
    } finally {
      await settings({ sudoTokensAllowed: false });
    }
  });
});
