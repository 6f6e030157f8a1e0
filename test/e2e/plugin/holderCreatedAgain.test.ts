// Identity review 2026-12-05 (held): a token whose secret someone other than its owner holds — made
// on the owner's behalf by a manager, or a user-less token of a system admin — is held to that
// person by user key. Deleting the person and creating an account of the same name, e-mail address
// and groups (anyone who may create users and manage groups can) must not revive those tokens: the
// new account is someone else, and never received their secrets.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const MYSELF = '/rest/api/2/myself';

forEachDatabase('secret holders deleted and created again under the same name', (kind) => {
  let e2e: E2eEnv;
  before(async () => {
    e2e = await startE2e('jira', kind);
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: true } })).status).to.equal(200);
  });
  after(() => stopAndCheckLeaks(e2e));

  const again = async (name: string, groups: string[]) => {
    const users = e2e.host.runtime.users;
    const before = (await users.getStoredUser(name))!;
    expect(await users.deleteUser(name)).to.equal(true);
    const created = await users.createUser({ name, password: `${name}-pw-2`, email: before.email, displayName: before.displayName, groups });
    expect(created.key).to.not.equal(before.key);
  };
  const issue = async (auth: [string, string], body: Record<string, unknown>) => {
    const res = await e2e.req(`${API}/user/token`, { method: 'POST', auth, body });
    expect(res.status, res.text).to.equal(200);
    e2e.issued.push(res.json.plainTextToken);
    return res.json.plainTextToken as string;
  };
  const refusedAs = (reason: string) => e2e.logs.some((l) => l.includes('API token refused') && l.includes(reason));

  it('should keep refusing a token made on someone\'s behalf once its manager is deleted and created again', async () => {
    const groups = ['jira-software-users', 'token-managers'];
    await e2e.host.runtime.users.createUser({ name: 'mona', password: 'mona-pw-1', email: 'mona@example.com', displayName: 'Mona', groups });
    const held = await issue(['mona', 'mona-pw-1'], { tokenDescription: 'for carol', tokenForUserKey: e2e.users.carol.key });
    expect((await e2e.req(MYSELF, { bearer: held })).json.name).to.equal('carol');
    await again('mona', groups);
    expect((await e2e.req(MYSELF, { bearer: held })).status).to.equal(401);
    expect((await e2e.req(MYSELF, { auth: ['carol', held] })).status).to.equal(401);
    expect(refusedAs('SECRET_HOLDER_INACTIVE')).to.equal(true);
  });

  it('should keep refusing a user-less and a sudo token once their system admin is deleted and created again as one', async () => {
    const groups = ['jira-software-users', 'jira-administrators'];
    await e2e.host.runtime.users.createUser({ name: 'rhea', password: 'rhea-pw-1', email: 'rhea@example.com', displayName: 'Rhea', groups });
    const userless = await issue(['rhea', 'rhea-pw-1'], { tokenDescription: 'user-less', userless: true, restrictions: '[GET].*/rest/api/2/myself' });
    const sudo = await issue(['rhea', 'rhea-pw-1'], { tokenDescription: 'sudo', sudo: true });
    expect((await e2e.req(MYSELF, { auth: ['bob', userless] })).json.name).to.equal('bob');
    expect((await e2e.req(MYSELF, { bearer: sudo, headers: { 'X-Atlassian-Run-As': 'bob' } })).json.name).to.equal('bob');
    await again('rhea', groups);
    expect((await e2e.req(MYSELF, { auth: ['bob', userless] })).status).to.equal(401);
    expect(refusedAs('USERLESS_CREATOR_NOT_SYSADMIN')).to.equal(true);
    expect((await e2e.req(MYSELF, { bearer: sudo, headers: { 'X-Atlassian-Run-As': 'bob' } })).status).to.equal(401);
    expect((await e2e.req(MYSELF, { auth: ['rhea', sudo] })).status).to.equal(401);
  });
});
