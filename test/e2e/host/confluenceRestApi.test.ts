import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';

const ADMIN = ['admin', 'admin'] as const;

forEachDatabase('Confluence host REST API', (dbKind) => {
  let host: TestHost;
  before(async () => { host = await startTestHost({ product: 'confluence', dbKind, descriptors: [] }); });
  after(async () => { await host?.stop(); });

  it('should live under /confluence', () => {
    expect(new URL(host.url).pathname).to.equal('/confluence');
  });

  it('should return the Confluence user JSON by name and by key', async () => {
    const res = await host.request('/rest/api/user?username=admin', { auth: ADMIN });
    expect(res.status).to.equal(200);
    expect(res.json).to.have.all.keys('type', 'username', 'userKey', 'profilePicture', 'displayName', '_links', '_expandable');
    expect(res.json).to.include({ type: 'known', username: 'admin', userKey: 'admin' });
    expect(res.json.profilePicture).to.include({ width: 48, height: 48, isDefault: true });
    expect(res.json._links).to.include({ base: host.url, context: '/confluence' });
    const byKey = await host.request(`/rest/api/user?key=${res.json.userKey}`, { auth: ADMIN });
    expect(byKey.json.username).to.equal('admin');
    expect((await host.request('/rest/api/user?username=ghost', { auth: ADMIN })).status).to.equal(404);
  });

  it('should answer /user/current for the caller and /user/anonymous without login', async () => {
    const current = await host.request('/rest/api/user/current', { auth: ADMIN });
    expect(current.json.username).to.equal('admin');
    const anonymous = await host.request('/rest/api/user/anonymous');
    expect(anonymous.status).to.equal(200);
    expect(anonymous.json.type).to.equal('anonymous');
    expect((await host.request('/rest/api/user?username=admin')).status).to.equal(401);
  });

  it('should create users through /admin/user with 32-hex keys (admins only)', async () => {
    const body = { userName: 'writer', fullName: 'Wri Ter', email: 'writer@example.com', password: 'pw' };
    const res = await host.request('/rest/api/admin/user', { method: 'POST', auth: ADMIN, body });
    expect(res.status).to.equal(201);
    expect(res.json.userKey).to.match(/^[0-9a-f]{32}$/);
    expect((await host.request('/rest/api/user/current', { auth: ['writer', 'pw'] })).json.displayName).to.equal('Wri Ter');
    const denied = await host.request('/rest/api/admin/user', { method: 'POST', auth: ['writer', 'pw'], body: { ...body, userName: 'other' } });
    expect(denied.status).to.equal(403);
    const invalid = await host.request('/rest/api/admin/user', { method: 'POST', auth: ADMIN, body: { userName: 'x', email: 'not-an-email' } });
    expect(invalid.status).to.equal(400);
    expect(invalid.json.errors).to.have.all.keys('fullName', 'email');
  });

  it('should create and list content and list spaces', async () => {
    const spaces = await host.request('/rest/api/space', { auth: ADMIN });
    expect(spaces.status).to.equal(200);
    const key = spaces.json.results[0].key;
    const created = await host.request('/rest/api/content', {
      method: 'POST', auth: ADMIN,
      body: { type: 'page', title: 'Hello', space: { key }, body: { storage: { value: '<p>Hi</p>', representation: 'storage' } } },
    });
    expect(created.status).to.equal(200);
    expect(created.json).to.include({ type: 'page', title: 'Hello', status: 'current' });
    expect(created.json.body.storage.value).to.equal('<p>Hi</p>');
    const list = await host.request(`/rest/api/content?spaceKey=${key}`, { auth: ADMIN });
    expect(list.json.results.map((c: { title: string }) => c.title)).to.include('Hello');
    const one = await host.request(`/rest/api/content/${created.json.id}`, { auth: ADMIN });
    expect(one.json.title).to.equal('Hello');
    const noSpace = await host.request('/rest/api/content', { method: 'POST', auth: ADMIN, body: { type: 'page', title: 'x', space: { key: 'NOPE' } } });
    expect(noSpace.status).to.equal(400);
    const badType = await host.request('/rest/api/content', { method: 'POST', auth: ADMIN, body: { type: 'folder', title: 'x', space: { key } } });
    expect(badType.status).to.equal(400);
  });

  it('should not serve the Jira API', async () => {
    expect((await host.request('/rest/api/2/myself', { auth: ADMIN })).status).to.equal(404);
  });
});
