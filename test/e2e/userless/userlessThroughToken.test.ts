// A user-less token acts as other users, as a sudo token does, so it gets a sudo token's limits
// (docs/api.md): through a token only an unrestricted sudo token creates or regenerates one
// (an ordinary system-admin token, e.g. one leaked from a CI job, used to mint one with a
// catch-all allowlist and act as anyone), and it never acts as a system administrator (it used
// to act as any active user, so another system admin's name went on what it did).
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from '../plugin/support/e2eHost';

const CATCH_ALL = { ipAllowlist: ['0.0.0.0/0', '::/0'] };

forEachDatabase('User-less tokens through a token, and never as a system admin', (kind) => {
  let e2e: E2eEnv;
  const settings = (body: Record<string, unknown>) => e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body });
  const keep = <T extends { status: number; json: Record<string, unknown> }>(res: T): T => {
    if (res.status === 200 && typeof res.json?.plainTextToken === 'string') e2e.issued.push(res.json.plainTextToken);
    return res;
  };

  before(async () => {
    e2e = await startE2e('jira', kind);
    await e2e.host.runtime.users.createUser({
      name: 'root2', password: 'root2-pw-1', email: 'root2@example.com', displayName: 'ROOT2', groups: ['jira-administrators', 'jira-software-users'],
    });
  });
  after(() => stopAndCheckLeaks(e2e));

  it('should refuse to create a user-less token through a token that is not a sudo token, the setting on or off', async () => {
    const plain = await e2e.createToken('admin', { tokenDescription: 'CI token, not sudo' });
    expectError(keep(await e2e.req(`${API}/user/token`, { method: 'POST', bearer: plain.plainTextToken, body: { userless: true, ...CATCH_ALL } })),
      'TOKEN_PRIVILEGE_EXCEEDED', 'sudo tokens off');
    expect((await settings({ sudoTokensAllowed: true })).status).to.equal(200);
    try {
      expectError(keep(await e2e.req(`${API}/user/token`, { method: 'POST', bearer: plain.plainTextToken, body: { userless: true, ...CATCH_ALL } })),
        'TOKEN_PRIVILEGE_EXCEEDED', 'sudo tokens on');
    } finally {
      await settings({ sudoTokensAllowed: false });
    }
    const listed = await e2e.as('admin', `${API}/user/tokensByFilter?userFilter=`);
    expect((listed.json.content as Array<{ tokenForUserKey: string }>).filter((t) => t.tokenForUserKey === '')).to.deep.equal([]);
  });

  it('should let an unrestricted sudo token create and regenerate one while sudo tokens are allowed', async () => {
    expect((await settings({ sudoTokensAllowed: true })).status).to.equal(200);
    try {
      const sudo = await e2e.createToken('admin', { tokenDescription: 'support', sudo: true });
      const created = keep(await e2e.req(`${API}/user/token`, { method: 'POST', bearer: sudo.plainTextToken, body: { userless: true, tokenValidityTimeInMonths: 1, ...CATCH_ALL } }));
      expect(created.status, created.text).to.equal(200);
      const rotated = keep(await e2e.req(`${API}/user/token/${created.json.id}/rotate`, { method: 'POST', bearer: sudo.plainTextToken }));
      expect(rotated.status, rotated.text).to.equal(200);
    } finally {
      await settings({ sudoTokensAllowed: false });
    }
  });

  it('should refuse to regenerate a user-less token through a sudo token once sudo tokens are no longer allowed', async () => {
    expect((await settings({ sudoTokensAllowed: true })).status).to.equal(200);
    let sudo!: { plainTextToken: string };
    let userless!: { id: number; plainTextToken: string };
    try {
      sudo = await e2e.createToken('admin', { tokenDescription: 'support, switched off later', sudo: true });
      const created = keep(await e2e.req(`${API}/user/token`, { method: 'POST', bearer: sudo.plainTextToken, body: { userless: true, tokenValidityTimeInMonths: 1, ...CATCH_ALL } }));
      expect(created.status, created.text).to.equal(200);
      userless = { id: Number(created.json.id), plainTextToken: String(created.json.plainTextToken) };
    } finally {
      await settings({ sudoTokensAllowed: false });
    }
    expectError(keep(await e2e.req(`${API}/user/token/${userless.id}/rotate`, { method: 'POST', bearer: sudo.plainTextToken })), 'TOKEN_PRIVILEGE_EXCEEDED');
    expect((await e2e.req('/rest/api/2/myself', { auth: ['alice', userless.plainTextToken] })).status, 'its secret unchanged').to.equal(200);
    const byPassword = keep(await e2e.as('admin', `${API}/user/token/${userless.id}/rotate`, { method: 'POST' }));
    expect(byPassword.status, 'its system admin still regenerates it with a password').to.equal(200);
  });

  it('should refuse to regenerate a user-less token through a token that is not a sudo token', async () => {
    const userless = await e2e.createToken('admin', { userless: true, tokenValidityTimeInMonths: 1, ...CATCH_ALL });
    const plain = await e2e.createToken('admin', { tokenDescription: 'outlives the user-less token' });
    expectError(keep(await e2e.req(`${API}/user/token/${userless.id}/rotate`, { method: 'POST', bearer: plain.plainTextToken })), 'TOKEN_PRIVILEGE_EXCEEDED');
    expect((await e2e.req('/rest/api/2/myself', { auth: ['alice', userless.plainTextToken] })).status, 'its secret unchanged').to.equal(200);
  });

  it('should refuse to change a user-less token\'s rules through a token that is not a sudo token', async () => {
    const shared = await e2e.createToken('admin', { userless: true, tokenValidityTimeInMonths: 1, restrictions: '[GET].*/rest/api/2/myself' });
    const plain = await e2e.createToken('admin', { tokenDescription: 'outlives the user-less token' });
    const asAlice = (path: string) => e2e.req(path, { auth: ['alice', shared.plainTextToken] });
    expect((await asAlice(`${API}/user/token`)).status, 'outside its rules').to.equal(403);
    for (const body of [{ restrictions: '.*' }, { ipAllowlist: ['0.0.0.0/0'] }]) {
      expectError(await e2e.req(`${API}/user/token/${shared.id}`, { method: 'PATCH', bearer: plain.plainTextToken, body }), 'TOKEN_PRIVILEGE_EXCEEDED', JSON.stringify(body));
    }
    expect((await asAlice(`${API}/user/token`)).status, 'still outside its rules').to.equal(403);
    const description = await e2e.req(`${API}/user/token/${shared.id}`, { method: 'PATCH', bearer: plain.plainTextToken, body: { tokenDescription: 'renamed' } });
    expect(description.status, 'its description is no power').to.equal(200);
  });

  it('should never act as a system administrator, its creator included', async () => {
    const userless = await e2e.createToken('admin', { userless: true, ...CATCH_ALL });
    for (const name of ['root2', 'admin']) {
      expect((await e2e.req('/rest/api/2/myself', { auth: [name, userless.plainTextToken] })).status, name).to.equal(401);
    }
    expect((await e2e.req('/rest/api/2/user?username=carol', { method: 'DELETE', auth: ['root2', userless.plainTextToken] })).status).to.equal(401);
    expect(await e2e.host.runtime.users.getUserByName('carol')).to.not.equal(null);
    const reasonsOf = (events: Array<Record<string, unknown>>) => events.flatMap((ev) => (ev.extraAttributes as Array<{ name: string; value: string }>)
      .filter((a) => a.name === 'reason').map((a) => a.value));
    // Earlier tests' refusals are there already: wait for this one, not for any.
    const refused = await e2e.auditEvents('token.refused', (events) => reasonsOf(events).includes('USERLESS_AS_SYSADMIN'));
    expect(reasonsOf(refused)).to.include('USERLESS_AS_SYSADMIN');
    expect((await e2e.req('/rest/api/2/myself', { auth: ['alice', userless.plainTextToken] })).status, 'as alice').to.equal(200);
  });
});
