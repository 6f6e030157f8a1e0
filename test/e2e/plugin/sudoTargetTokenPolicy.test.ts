// The user a sudo token runs as is held to the token policies as if the token were theirs, as a
// user-less token's acting user is: `tokenUserGroups` (who may use tokens at all) and
// `readOnlyOnlyGroups` (read-only by token). Before, the sudo resolver checked only that the
// user existed, was active and was not a system admin, so a user the administrators had kept
// away from tokens, or limited to reading by token, was still driven read/write through
// `X-Atlassian-Run-As`.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

forEachDatabase('SudoResolver: the user run as is held to the token policies', (kind) => {
  let e2e: E2eEnv;
  let sudo: string;
  let userless: string;
  const filter = { name: 'filter by token', jql: 'project = TEST' };

  before(async () => {
    e2e = await startE2e('jira', kind);
    await e2e.host.runtime.users.createGroup('token-users');
    await e2e.host.runtime.users.createGroup('read-only-token-users');
    await e2e.host.runtime.users.addUserToGroup('alice', 'token-users');
    await e2e.host.runtime.users.addUserToGroup('alice', 'read-only-token-users');
    await e2e.host.runtime.users.addUserToGroup('bob', 'token-users');
    const put = await e2e.as('admin', `${API}/admin/settings`, {
      method: 'PUT', body: { sudoTokensAllowed: true, tokenUserGroups: ['token-users', 'jira-administrators'], readOnlyOnlyGroups: ['read-only-token-users'] },
    });
    expect(put.status).to.equal(200);
    sudo = (await e2e.createToken('admin', { tokenDescription: 'support', sudo: true })).plainTextToken;
    userless = (await e2e.createToken('admin', { userless: true, ipAllowlist: ['127.0.0.1', '::1'] })).plainTextToken;
  });
  after(() => stopAndCheckLeaks(e2e));

  const asUser = (user: string, path: string, options: { method?: string; body?: unknown } = {}) =>
    e2e.req(path, { ...options, bearer: sudo, headers: { 'X-Atlassian-Run-As': user } });

  it('should not run as a user outside tokenUserGroups, as a user-less token may not act as them', async () => {
    expect((await e2e.req('/rest/api/2/myself', { auth: ['carol', userless] })).status, 'user-less token as carol').to.equal(401);
    expectError(await asUser('carol', '/rest/api/2/myself'), 'SUDO_TARGET_FORBIDDEN', 'sudo as carol');
    const ours = (events: Array<Record<string, unknown>>) => events.some((ev) => (ev.extraAttributes as Array<{ name: string; value: string }>)
      .some((a) => a.name === 'reason' && a.value === 'SUDO_TARGET_NO_TOKENS'));
    expect(ours(await e2e.auditEvents('token.refused', ours))).to.equal(true);
  });

  it('should run as a readOnlyOnlyGroups member read-only: reads pass, writes are refused', async () => {
    expect((await e2e.req('/rest/api/2/filter', { method: 'POST', auth: ['alice', userless], body: filter })).status, 'user-less token writing as alice').to.equal(403);
    expectError(await asUser('alice', '/rest/api/2/filter', { method: 'POST', body: filter }), 'TOKEN_READ_ONLY', 'sudo writing as alice');
    const read = await asUser('alice', '/rest/api/2/myself');
    expect(read.status).to.equal(200);
    expect(read.json.name).to.equal('alice');
  });

  it('should still run read/write as a token user outside readOnlyOnlyGroups', async () => {
    const write = await asUser('bob', '/rest/api/2/filter', { method: 'POST', body: filter });
    expect(write.status, write.text).to.equal(200);
  });
});
