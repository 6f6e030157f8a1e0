import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';

const ADMIN = ['admin', 'admin'] as const;

forEachDatabase('Jira host REST API', (dbKind) => {
  let host: TestHost;
  before(async () => {
    host = await startTestHost({ product: 'jira', dbKind, descriptors: [] });
    await host.runtime.users.createUser({ name: 'jdoe', password: 'secret', email: 'jdoe@example.com', displayName: 'J Doe', groups: ['jira-software-users'] });
  });
  after(async () => { await host?.stop(); });

  it('should answer serverInfo anonymously', async () => {
    const res = await host.request('/rest/api/2/serverInfo');
    expect(res.status).to.equal(200);
    expect(res.json).to.include({ baseUrl: host.url, version: '9.12.0', deploymentType: 'Server' });
    expect(res.json.versionNumbers).to.deep.equal([9, 12, 0]);
  });

  it('should return the Jira user JSON from /myself', async () => {
    const res = await host.request('/rest/api/2/myself', { auth: ADMIN });
    expect(res.status).to.equal(200);
    expect(res.json).to.have.all.keys('self', 'key', 'name', 'emailAddress', 'avatarUrls', 'displayName', 'active', 'deleted', 'timeZone', 'locale', 'groups', 'applicationRoles', 'expand');
    expect(res.json).to.include({ key: 'admin', name: 'admin', active: true, deleted: false, expand: 'groups,applicationRoles' });
    expect(res.json.self).to.equal(`${host.url}/rest/api/2/user?username=admin`);
    expect(res.json.avatarUrls).to.have.all.keys('16x16', '24x24', '32x32', '48x48');
    expect(res.json.groups.size).to.be.greaterThan(0);
  });

  it('should find users by name and by key, listing groups when expanded', async () => {
    const byName = await host.request('/rest/api/2/user?username=jdoe&expand=groups', { auth: ADMIN });
    expect(byName.status).to.equal(200);
    expect(byName.json.key).to.match(/^JIRAUSER\d+$/);
    expect(byName.json.groups.items.map((g: { name: string }) => g.name)).to.include('jira-software-users');
    const byKey = await host.request(`/rest/api/2/user?key=${byName.json.key}`, { auth: ADMIN });
    expect(byKey.json.name).to.equal('jdoe');
    expect((await host.request('/rest/api/2/user?username=nobody', { auth: ADMIN })).status).to.equal(404);
    expect((await host.request('/rest/api/2/user', { auth: ADMIN })).status).to.equal(400);
  });

  it('should alias /rest/api/latest to /rest/api/2', async () => {
    const res = await host.request('/rest/api/latest/myself', { auth: ADMIN });
    expect(res.status).to.equal(200);
    expect(res.json.name).to.equal('admin');
  });

  it('should create a user (admins only) with 201 and the new key', async () => {
    const body = { name: 'newbie', password: 'pw123', emailAddress: 'newbie@example.com', displayName: 'New Bie' };
    const denied = await host.request('/rest/api/2/user', { method: 'POST', auth: ['jdoe', 'secret'], body });
    expect(denied.status).to.equal(403);
    const res = await host.request('/rest/api/2/user', { method: 'POST', auth: ADMIN, body });
    expect(res.status).to.equal(201);
    expect(res.json).to.include({ name: 'newbie', emailAddress: 'newbie@example.com', displayName: 'New Bie' });
    expect(res.json.key).to.match(/^JIRAUSER\d+$/);
    expect((await host.request('/rest/api/2/myself', { auth: ['newbie', 'pw123'] })).status).to.equal(200);
    const again = await host.request('/rest/api/2/user', { method: 'POST', auth: ADMIN, body });
    expect(again.status).to.equal(400);
    expect(again.json.errors).to.have.property('username');
  });

  it('should report missing user fields in Jira\'s error shape', async () => {
    const res = await host.request('/rest/api/2/user', { method: 'POST', auth: ADMIN, body: { name: 42 } });
    expect(res.status).to.equal(400);
    expect(res.json).to.have.all.keys('errorMessages', 'errors');
    expect(res.json.errors).to.have.all.keys('name', 'emailAddress', 'displayName');
  });

  it('should add a user to a group with 201', async () => {
    const res = await host.request('/rest/api/2/group/user?groupname=jira-admins', { method: 'POST', auth: ADMIN, body: { name: 'jdoe' } });
    expect(res.status).to.equal(201);
    expect(res.json.name).to.equal('jira-admins');
    expect(await host.runtime.users.isUserInGroup((await host.runtime.users.getUserByName('jdoe'))!.key, 'jira-admins')).to.equal(true);
    expect((await host.request('/rest/api/2/group/user?groupname=jira-admins', { method: 'POST', auth: ADMIN, body: { name: 'jdoe' } })).status).to.equal(400);
    expect((await host.request('/rest/api/2/group/user?groupname=no-such-group', { method: 'POST', auth: ADMIN, body: { name: 'jdoe' } })).status).to.equal(404);
  });

  it('should delete a user (system admins only) with 204', async () => {
    await host.runtime.users.createUser({ name: 'doomed', password: 'pw', email: 'd@example.com', displayName: 'D' });
    expect((await host.request('/rest/api/2/user?username=doomed', { method: 'DELETE', auth: ['jdoe', 'secret'] })).status).to.equal(403);
    expect((await host.request('/rest/api/2/user?username=doomed', { method: 'DELETE', auth: ADMIN })).status).to.equal(204);
    expect(await host.runtime.users.getUserByName('doomed')).to.equal(null);
    expect((await host.request('/rest/api/2/user?username=doomed', { method: 'DELETE', auth: ADMIN })).status).to.equal(404);
    expect((await host.request('/rest/api/2/user?username=admin', { method: 'DELETE', auth: ADMIN })).status).to.equal(400);
  });

  it('should list the configuration and the issue types', async () => {
    const config = await host.request('/rest/api/latest/configuration', { auth: ADMIN });
    expect(config.status).to.equal(200);
    expect(config.json).to.include({ timeTrackingEnabled: true, attachmentsEnabled: true });
    const types = await host.request('/rest/api/2/issuetype', { auth: ADMIN });
    expect(types.json.map((t: { name: string }) => t.name)).to.include.members(['Bug', 'Task']);
  });

  it('should create, read, edit and comment on an issue', async () => {
    const created = await host.request('/rest/api/2/issue', { method: 'POST', auth: ['jdoe', 'secret'], body: { fields: { project: { key: 'TEST' }, summary: 'Broken', description: 'It is', issuetype: { name: 'Bug' } } } });
    expect(created.status).to.equal(201);
    expect(created.json).to.have.all.keys('id', 'key', 'self');
    const { key } = created.json;
    expect(key).to.match(/^TEST-\d+$/);
    expect((await host.request(`/rest/api/2/issue/${key}`, { method: 'PUT', auth: ADMIN, body: { fields: { summary: 'Fixed' } } })).status).to.equal(204);
    const comment = await host.request(`/rest/api/2/issue/${key}/comment`, { method: 'POST', auth: ADMIN, body: { body: 'Done.' } });
    expect(comment.status).to.equal(201);
    expect(comment.json.body).to.equal('Done.');
    const issue = await host.request(`/rest/api/2/issue/${key}`, { auth: ADMIN });
    expect(issue.status).to.equal(200);
    expect(issue.json.key).to.equal(key);
    expect(issue.json.fields).to.include({ summary: 'Fixed', description: 'It is' });
    expect(issue.json.fields.issuetype.name).to.equal('Bug');
    expect(issue.json.fields.reporter.name).to.equal('jdoe');
    expect(issue.json.fields.comment.total).to.equal(1);
    expect((await host.request('/rest/api/2/issue/TEST-99999', { auth: ADMIN })).status).to.equal(404);
  });

  it('should reject bad issues with field errors', async () => {
    const noProject = await host.request('/rest/api/2/issue', { method: 'POST', auth: ADMIN, body: { fields: { project: { key: 'NOPE' }, summary: 'x', issuetype: { name: 'Bug' } } } });
    expect(noProject.status).to.equal(400);
    expect(noProject.json.errors).to.have.property('project');
    const badType = await host.request('/rest/api/2/issue', { method: 'POST', auth: ADMIN, body: { fields: { project: { key: 'TEST' }, summary: 'x', issuetype: { name: 'Nope' } } } });
    expect(badType.status).to.equal(400);
    expect(badType.json.errors).to.have.property('issuetype');
    const noSummary = await host.request('/rest/api/2/issue', { method: 'POST', auth: ADMIN, body: { fields: { project: { key: 'TEST' }, issuetype: { name: 'Bug' } } } });
    expect(noSummary.json.errors).to.have.property('summary');
    const readOnly = await host.request('/rest/api/2/issue/TEST-1', { method: 'PUT', auth: ADMIN, body: { fields: { reporter: 'x' } } });
    expect(readOnly.status).to.equal(400);
  });

  it('should search by project JQL and reject any other JQL with errorMessages', async () => {
    const res = await host.request(`/rest/api/2/search?jql=${encodeURIComponent('project = TEST')}`, { auth: ADMIN });
    expect(res.status).to.equal(200);
    expect(res.json.total).to.be.greaterThan(0);
    expect(res.json.issues[0].key).to.match(/^TEST-/);
    const compact = await host.request('/rest/api/2/search?jql=project=TEST&maxResults=1', { auth: ADMIN });
    expect(compact.json.issues).to.have.length(1);
    const bad = await host.request(`/rest/api/2/search?jql=${encodeURIComponent('assignee = admin')}`, { auth: ADMIN });
    expect(bad.status).to.equal(400);
    expect(bad.json.errorMessages).to.have.length(1);
    expect(bad.json.errors).to.deep.equal({});
  });

  it('should create a filter', async () => {
    const res = await host.request('/rest/api/2/filter', { method: 'POST', auth: ADMIN, body: { name: 'Mine', jql: 'project = TEST', editable: false } });
    expect(res.status).to.equal(200);
    expect(res.json).to.include({ name: 'Mine', jql: 'project = TEST' });
    expect(res.json.owner.name).to.equal('admin');
  });

  it('should refuse anonymous access to everything but serverInfo', async () => {
    for (const path of ['/rest/api/2/myself', '/rest/api/2/user?username=admin', '/rest/api/2/issuetype', '/rest/api/2/search?jql=project=TEST', '/rest/auditing/1.0/events']) {
      expect((await host.request(path)).status, path).to.equal(401);
    }
  });

  it('should list audit events to admins, newest first and paged', async () => {
    await host.runtime.audit.record({ action: 'test.first', summary: 'First', category: 'Tests', author: null, timestamp: 1000 });
    await host.runtime.audit.record({ action: 'test.second', summary: 'Second', category: 'Tests', author: { key: 'admin', name: 'admin' }, timestamp: 2000, sourceIp: '10.0.0.1' });
    const page = await host.request('/rest/auditing/1.0/events?limit=1', { auth: ADMIN });
    expect(page.status).to.equal(200);
    expect(page.json.entities).to.have.length(1);
    const all = await host.request('/rest/auditing/1.0/events?action=test.second', { auth: ADMIN });
    expect(all.json.entities[0]).to.include({ action: 'test.second', source: '10.0.0.1' });
    expect(all.json.entities[0].author.name).to.equal('admin');
    const both = await host.request('/rest/auditing/1.0/events?limit=1000', { auth: ADMIN });
    const actions = both.json.entities.map((e: { action: string }) => e.action);
    expect(actions.indexOf('test.second')).to.be.lessThan(actions.indexOf('test.first'));
    const second = await host.request('/rest/auditing/1.0/events?limit=1&offset=1', { auth: ADMIN });
    expect(second.json.entities[0].id).not.to.equal(page.json.entities[0].id);
    await host.runtime.users.createUser({ name: 'plain', password: 'pw', email: 'p@example.com', displayName: 'P', groups: ['jira-software-users'] });
    expect((await host.request('/rest/auditing/1.0/events', { auth: ['plain', 'pw'] })).status).to.equal(403);
    expect((await host.request('/rest/auditing/1.0/events?limit=abc', { auth: ADMIN })).status).to.equal(400);
  });
});
