// Only a system admin makes someone a system admin. The host's `POST /rest/api/2/group/user`
// asked for an admin only, so a product admin (jira-admins), or a token acting as one, put
// anyone — themselves included — into the system-admin group and so climbed the rank the token
// rules rest on (system admin > admin > user: who sees and changes whose tokens, who creates sudo
// and user-less tokens). Jira refuses that to anyone but a system admin.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from '../plugin/support/e2eHost';

forEachDatabase('Host group membership: the system-admin group is a system admin\'s to give', (kind) => {
  let e2e: E2eEnv;
  before(async () => {
    e2e = await startE2e('jira', kind);
    await e2e.host.runtime.users.addUserToGroup('carol', 'jira-admins');
  });
  after(() => stopAndCheckLeaks(e2e));

  it('should refuse a product admin adding anyone to the system-admin group, by password or by token, in any spelling', async () => {
    const carols = await e2e.createToken('carol', { tokenDescription: 'admin script' });
    for (const group of ['jira-administrators', 'JIRA-Administrators']) {
      const byToken = await e2e.req(`/rest/api/2/group/user?groupname=${group}`, { method: 'POST', bearer: carols.plainTextToken, body: { name: 'carol' } });
      expect(byToken.status, group).to.equal(403);
      const byPassword = await e2e.as('carol', `/rest/api/2/group/user?groupname=${group}`, { method: 'POST', body: { name: 'bob' } });
      expect(byPassword.status, group).to.equal(403);
    }
    expect(await e2e.host.runtime.users.isSystemAdmin(e2e.users.carol.key)).to.equal(false);
    expect(await e2e.host.runtime.users.isSystemAdmin(e2e.users.bob.key)).to.equal(false);
    const adminsToken = await e2e.createToken('admin', { tokenDescription: 'sysadmin\'s own' });
    expect((await e2e.req(`${API}/user/token/${adminsToken.id}`, { method: 'DELETE', bearer: carols.plainTextToken })).status).to.equal(404);
  });

  it('should still let a product admin manage the other groups, and a system admin the system-admin group', async () => {
    expect((await e2e.as('carol', '/rest/api/2/group/user?groupname=jira-admins', { method: 'POST', body: { name: 'bob' } })).status).to.equal(201);
    expect((await e2e.as('admin', '/rest/api/2/group/user?groupname=jira-administrators', { method: 'POST', body: { name: 'bob' } })).status).to.equal(201);
    expect(await e2e.host.runtime.users.isSystemAdmin(e2e.users.bob.key)).to.equal(true);
  });
});
