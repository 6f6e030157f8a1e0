// The host's REST resources read bodies and queries as class-validator DTOs (host-sim/rest/dto):
// an unknown body field is a 400 naming it on every resource (the same body without it passes),
// unknown query parameters are ignored as in Jira and Confluence, and the messages name the real
// limits in the caller's language.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, TEST_PLUGIN_DESCRIPTOR, type TestHost } from '../../support/hostServer';

const ADMIN = ['admin', 'admin'] as const;

forEachDatabase('Host REST bodies as DTOs (Jira)', (dbKind) => {
  let host: TestHost;
  let issueKey: string;
  before(async () => {
    host = await startTestHost({ product: 'jira', dbKind, descriptors: [TEST_PLUGIN_DESCRIPTOR] });
    await host.createUser({ name: 'member' });
    const issue = await host.request('/rest/api/2/issue', { method: 'POST', auth: ADMIN, body: { fields: { project: { key: 'TEST' }, summary: 's', issuetype: { name: 'Bug' } } } });
    issueKey = issue.json.key;
  });
  after(async () => { await host?.stop(); });

  it('should refuse an unknown field of every body with 400 naming it, and accept the body without it', async () => {
    const cases: Array<{ method: string; path: () => string; body: Record<string, unknown>; ok: number; field: string; nest?: string }> = [
      { method: 'POST', path: () => '/rest/api/2/user', body: { name: 'newbie', emailAddress: 'n@example.com', displayName: 'N' }, ok: 201, field: 'bogus' },
      { method: 'POST', path: () => '/rest/api/2/issue', body: { fields: { project: { key: 'TEST' }, summary: 's', issuetype: { name: 'Bug' } } }, ok: 201, field: 'bogus', nest: 'fields' },
      { method: 'PUT', path: () => `/rest/api/2/issue/${issueKey}`, body: { fields: { summary: 'changed' } }, ok: 204, field: 'bogus', nest: 'fields' },
      { method: 'POST', path: () => `/rest/api/2/issue/${issueKey}/comment`, body: { body: 'hi' }, ok: 201, field: 'bogus' },
      { method: 'POST', path: () => '/rest/api/2/search', body: { jql: 'project = TEST' }, ok: 200, field: 'bogus' },
      { method: 'POST', path: () => '/rest/api/2/filter', body: { name: 'f', jql: 'project = TEST' }, ok: 200, field: 'bogus' },
      { method: 'POST', path: () => '/rest/api/2/group/user?groupname=jira-administrators', body: { name: 'member' }, ok: 201, field: 'bogus' },
      { method: 'POST', path: () => '/rest/auth/1/session', body: { username: 'admin', password: 'admin' }, ok: 200, field: 'bogus' },
      { method: 'PUT', path: () => '/rest/plugins/1.0/com.example.hostsim.testplugin-key', body: { enabled: true }, ok: 200, field: 'bogus' },
      { method: 'PUT', path: () => '/rest/hostsim/1.0/clock', body: { offsetMillis: 0 }, ok: 200, field: 'bogus' },
      { method: 'PUT', path: () => '/rest/hostsim/1.0/license/com.example.hostsim.testplugin', body: { state: 'valid' }, ok: 200, field: 'bogus' },
      { method: 'PUT', path: () => '/rest/hostsim/1.0/users/member/active', body: { active: true }, ok: 200, field: 'bogus' },
    ];
    for (const c of cases) {
      const withExtra = c.nest ? { ...c.body, [c.nest]: { ...(c.body[c.nest] as object), bogus: 1 } } : { ...c.body, bogus: 1 };
      const refused = await host.request(c.path(), { method: c.method, auth: ADMIN, body: withExtra });
      expect(refused.status, `${c.method} ${c.path()}: ${refused.text}`).to.equal(400);
      expect(Object.keys(refused.json.errors), c.path()).to.deep.equal([c.field]);
      const accepted = await host.request(c.path(), { method: c.method, auth: ADMIN, body: c.body });
      expect(accepted.status, `${c.method} ${c.path()}: ${accepted.text}`).to.equal(c.ok);
    }
  });

  it('should ignore unknown query parameters and refuse malformed known ones', async () => {
    expect((await host.request('/rest/api/2/search?jql=project%20%3D%20TEST&expand=names&fields=summary', { auth: ADMIN })).status).to.equal(200);
    const bad = await host.request('/rest/api/2/search?jql=project%20%3D%20TEST&startAt=-1', { auth: ADMIN });
    expect(bad.status).to.equal(400);
    expect(Object.keys(bad.json.errors)).to.deep.equal(['startAt']);
    const events = await host.request('/rest/auditing/1.0/events?from=yesterday&limit=5', { auth: ADMIN });
    expect(events.status).to.equal(400);
    expect(Object.keys(events.json.errors)).to.deep.equal(['from']);
  });

  it('should name the real limits in the caller\'s language', async () => {
    for (const language of ['en', 'de']) {
      const clock = await host.request('/rest/hostsim/1.0/clock', { method: 'PUT', auth: ADMIN, body: { offsetMillis: 1e300 }, headers: { 'Accept-Language': language } });
      expect(clock.status).to.equal(400);
      expect(clock.json.errors.offsetMillis, language).to.contain('-3162240000000').and.contain('3162240000000');
      const search = await host.request('/rest/api/2/search?jql=project%20%3D%20TEST&maxResults=1e9', { auth: ADMIN, headers: { 'Accept-Language': language } });
      expect(search.json.errors.maxResults, language).to.contain('2147483647');
      const summary = await host.request(`/rest/api/2/issue/${issueKey}`, { method: 'PUT', auth: ADMIN, body: { fields: { summary: 'x'.repeat(256) } }, headers: { 'Accept-Language': language } });
      expect(summary.json.errors.summary, language).to.contain('255');
    }
    const de = await host.request('/rest/hostsim/1.0/clock', { method: 'PUT', auth: ADMIN, body: {}, headers: { 'Accept-Language': 'de' } });
    const en = await host.request('/rest/hostsim/1.0/clock', { method: 'PUT', auth: ADMIN, body: {} });
    expect(de.json.errors.offsetMillis).to.not.equal(en.json.errors.offsetMillis);
  });
});

forEachDatabase('Host REST bodies as DTOs (Confluence)', (dbKind) => {
  let host: TestHost;
  before(async () => { host = await startTestHost({ product: 'confluence', dbKind, descriptors: [] }); });
  after(async () => { await host?.stop(); });

  it('should refuse unknown fields of users and content, also nested ones, and accept the bodies without them', async () => {
    const user = { userName: 'writer', fullName: 'W', email: 'w@example.com', password: 'w-pw-1', notifyViaEmail: false };
    const refusedUser = await host.request('/rest/api/admin/user', { method: 'POST', auth: ADMIN, body: { ...user, group: 'x' } });
    expect(refusedUser.status).to.equal(400);
    expect(Object.keys(refusedUser.json.errors)).to.deep.equal(['group']);
    expect((await host.request('/rest/api/admin/user', { method: 'POST', auth: ADMIN, body: user })).status).to.equal(201);

    const page = { type: 'page', title: 'T', space: { key: 'DS' }, body: { storage: { value: '<p>x</p>', representation: 'storage' } } };
    const nested = await host.request('/rest/api/content', { method: 'POST', auth: ADMIN, body: { ...page, body: { storage: { ...page.body.storage, colour: 'red' } } } });
    expect(nested.status).to.equal(400);
    expect(Object.keys(nested.json.errors)).to.deep.equal(['body.storage.colour']);
    const created = await host.request('/rest/api/content', { method: 'POST', auth: ADMIN, body: page });
    expect(created.status, created.text).to.equal(200);
    const list = await host.request('/rest/api/content?type=blogpost&limit=x', { auth: ADMIN });
    expect(list.status).to.equal(400);
    expect(Object.keys(list.json.errors)).to.deep.equal(['limit']);
  });
});
