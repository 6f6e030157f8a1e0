// Admin "sudo" tokens at request time (issue 11, part F): `X-Atlassian-Run-As` runs a request as
// another user, checked per request — setting on, sudo token, unrestricted, owner still a system
// admin, target active and not a system admin, never the token API or settings — and audited.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const RUN_AS = 'X-Atlassian-Run-As';

forEachDatabase('sudo tokens (X-Atlassian-Run-As)', (kind) => {
  let e2e: E2eEnv;
  let sudo: string;

  const allow = async (on: boolean) => {
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: on } })).status).to.equal(200);
  };
  const myself = (token: string, runAs?: string, path = '/rest/api/2/myself') =>
    e2e.req(path, { bearer: token, headers: runAs === undefined ? {} : { [RUN_AS]: runAs } });

  before(async () => {
    e2e = await startE2e('jira', kind);
    await allow(true);
    sudo = (await e2e.createToken('admin', { tokenDescription: 'sudo', sudo: true })).plainTextToken;
  });
  after(() => stopAndCheckLeaks(e2e));

  it('should run a request as the named user, by name or key, and as the owner without the header', async () => {
    const asAlice = await myself(sudo, 'alice');
    expect(asAlice.status).to.equal(200);
    expect(asAlice.json.name).to.equal('alice');
    expect((await myself(sudo, e2e.users.bob.key)).json.name).to.equal('bob');
    expect((await myself(sudo)).json.name).to.equal('admin');
  });

  it('should audit every sudo request naming the owner and the user run as, and log both', async () => {
    await myself(sudo, 'carol');
    const attribute = (ev: Record<string, unknown>, name: string) => (ev.extraAttributes as Array<{ name: string; value: string }>).find((a) => a.name === name)?.value;
    const used = await e2e.auditEvents('token.used', (events) => events.some((ev) => attribute(ev, 'runAsUserName') === 'carol'));
    const event = used.find((ev) => attribute(ev, 'runAsUserName') === 'carol');
    expect(event, JSON.stringify(used.slice(0, 3))).to.not.equal(undefined);
    expect((event!.author as { name: string }).name).to.equal('admin');
    expect(e2e.logs.some((l) => l.includes('carol has been authenticated via API Token') && l.includes('of admin (run as)'))).to.equal(true);
  });

  it('should never run as a system administrator, an unknown or a deactivated user', async () => {
    await e2e.host.runtime.users.createUser({ name: 'root2', password: 'root2-pw', email: 'root2@example.com', displayName: 'Root Two', groups: ['jira-administrators'] });
    await e2e.host.runtime.users.createUser({ name: 'gone', password: 'gone-pw', email: 'gone@example.com', displayName: 'Gone', groups: ['jira-software-users'] });
    await e2e.host.runtime.users.setActive('gone', false);
    for (const target of ['admin', 'root2', 'nosuchuser', 'gone', '']) {
      expect((await myself(sudo, target)).status, target).to.equal(403);
    }
  });

  it('should never reach the token API or the settings, however the path is spelled', async () => {
    for (const path of [`${API}/user/token`, `${API}/admin/settings`, '/REST/DE.RESOLUTION.APITOKENAUTH/latest/user/token', '/rest/api-tokens/latest/']) {
      const res = await myself(sudo, 'alice', path);
      expect(res.status, path).to.equal(403);
      expect(JSON.stringify(res.json ?? {})).to.not.include('apitok_');
    }
    const create = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: sudo, headers: { [RUN_AS]: 'alice' }, body: { tokenDescription: 'as alice' } });
    expect(create.status).to.equal(403);
  });

  it('should refuse the header with a token that is not a sudo token', async () => {
    const plain = (await e2e.createToken('admin', { tokenDescription: 'not sudo' })).plainTextToken;
    expect((await myself(plain, 'alice')).status).to.equal(403);
    expect((await myself(plain)).status).to.equal(200);
  });

  it('should stop at once when the setting is switched off or the owner stops being a system admin', async () => {
    await allow(false);
    expect((await myself(sudo, 'alice')).status).to.equal(403);
    expect((await myself(sudo)).json.name).to.equal('admin');
    await allow(true);
    expect((await myself(sudo, 'alice')).status).to.equal(200);
    await e2e.host.runtime.users.createUser({ name: 'root3', password: 'root3-pw', email: 'root3@example.com', displayName: 'Root Three', groups: ['jira-administrators'] });
    const root3 = (await e2e.req(`${API}/user/token`, { method: 'POST', auth: ['root3', 'root3-pw'], body: { sudo: true } })).json;
    e2e.issued.push(root3.plainTextToken);
    expect((await myself(root3.plainTextToken, 'alice')).status).to.equal(200);
    await e2e.host.runtime.users.removeUserFromGroup('root3', 'jira-administrators');
    expect((await myself(root3.plainTextToken, 'alice')).status).to.equal(403);
  });

  it('should write as the user run as', async () => {
    const project = (await e2e.host.runtime.issues.projects())[0].key;
    const type = (await e2e.host.runtime.issues.issueTypes()).find((t) => !t.subtask)!.name;
    const res = await e2e.req('/rest/api/2/issue', {
      method: 'POST', bearer: sudo, headers: { [RUN_AS]: 'alice' },
      body: { fields: { project: { key: project }, summary: 'filed as alice', issuetype: { name: type } } },
    });
    expect(res.status).to.equal(201);
    const issue = await e2e.as('admin', `/rest/api/2/issue/${res.json.key}`);
    expect(issue.json.fields.reporter.name).to.equal('alice');
  });
});
