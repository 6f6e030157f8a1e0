import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, sendRequest, TEST_PLUGIN_DESCRIPTOR, type TestHost } from '../../support/hostServer';

const ADMIN = ['admin', 'admin'] as const;

forEachDatabase('Host input validation', (dbKind) => {
  let host: TestHost;
  before(async () => { host = await startTestHost({ product: 'jira', dbKind, descriptors: [TEST_PLUGIN_DESCRIPTOR] }); });
  after(async () => { await host?.stop(); });

  it('should answer malformed JSON with 400 and an errorMessage', async () => {
    for (const path of ['/rest/api/2/issue', '/rest/api/2/user', '/rest/auth/1/session', '/rest/testplugin/1.0/notes', '/rest/hostsim/1.0/clock']) {
      const res = await host.request(path, { method: path.includes('clock') ? 'PUT' : 'POST', auth: ADMIN, body: '{"broken": ', headers: { 'Content-Type': 'application/json' } });
      expect(res.status, path).to.equal(400);
      expect(res.text, path).not.to.contain(' at ');
    }
  });

  it('should answer a 2 MB body with 413 and an errorMessage', async () => {
    const body = JSON.stringify({ fields: { summary: 'x'.repeat(2 * 1024 * 1024) } });
    const res = await host.request('/rest/api/2/issue', { method: 'POST', auth: ADMIN, body, headers: { 'Content-Type': 'application/json' } });
    expect(res.status).to.equal(413);
    expect(res.json.errorMessages ?? [res.json.errorMessage]).to.have.length(1);
    const plugin = await host.request('/rest/testplugin/1.0/notes', { method: 'POST', auth: ADMIN, body, headers: { 'Content-Type': 'application/json' } });
    expect(plugin.status).to.equal(413);
    expect(plugin.json).to.have.property('errorMessage');
  });

  it('should answer wrong types and over-long strings with 400, never 500', async () => {
    const cases: Array<[string, string, unknown]> = [
      ['POST', '/rest/api/2/user', { name: ['a'], password: {}, emailAddress: 1, displayName: true }],
      ['POST', '/rest/api/2/user', { name: 'x'.repeat(10000), emailAddress: 'a@b', displayName: 'd' }],
      ['POST', '/rest/api/2/user', []],
      ['POST', '/rest/api/2/user', 'null'],
      ['POST', '/rest/api/2/issue', { fields: 'nope' }],
      ['POST', '/rest/api/2/issue', { fields: { project: { key: 5 }, summary: 'x'.repeat(300), issuetype: {} } }],
      ['PUT', '/rest/api/2/issue/TEST-1', { fields: { summary: 42 } }],
      ['POST', '/rest/api/2/issue/TEST-1/comment', { body: { text: 'x' } }],
      ['POST', '/rest/api/2/search', { jql: 1 }],
      ['POST', '/rest/api/2/filter', { name: null }],
      ['POST', '/rest/api/2/group/user?groupname=jira-admins', { name: 7 }],
      ['POST', '/rest/auth/1/session', { username: ['admin'], password: 'admin' }],
      ['PUT', '/rest/plugins/1.0/com.example.hostsim.testplugin-key', { enabled: 1 }],
      ['PUT', '/rest/hostsim/1.0/clock', { offsetMillis: 1e300 }],
      ['GET', '/rest/api/2/search?jql=project%3DTEST&startAt=-1', undefined],
      ['GET', '/rest/api/2/search?jql=project%3DTEST&maxResults=1e9', undefined],
      ['GET', '/rest/api/2/user?username=a&username=b', undefined],
      ['GET', '/rest/auditing/1.0/events?offset=x', undefined],
    ];
    for (const [method, path, body] of cases) {
      const res = await host.request(path, { method, auth: ADMIN, body: body === 'null' ? 'null' : body, headers: body === 'null' ? { 'Content-Type': 'application/json' } : undefined });
      expect(res.status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 80)}`).to.equal(400);
      expect(res.json, path).to.satisfy((j: Record<string, unknown>) => 'errorMessage' in j || 'errorMessages' in j);
    }
  });

  it('should answer unknown REST paths with a JSON 404 and odd paths without 500', async () => {
    const unknown = await host.request('/rest/nothing/here', { auth: ADMIN });
    expect(unknown.status).to.equal(404);
    expect(unknown.json).to.have.property('errorMessage');
    for (const path of ['/rest/api/2/issue/%E0%A4%A', '/rest/api/2/issue/..%2F..%2Fetc', '/rest/plugins/1.0/%00-key', '/rest/api/2/user?username[a]=b']) {
      const res = await host.request(path, { auth: ADMIN });
      expect(res.status, path).to.be.within(400, 499);
    }
  });

  it('should answer an unsupported body encoding with 415', async () => {
    const res = await sendRequest(`${host.url}/rest/api/2/filter`, { method: 'POST', auth: ADMIN, body: '{}', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'compress' } });
    expect(res.status).to.equal(415);
  });

  it('should answer 503 with an errorMessage while the database is unavailable', async () => {
    const db = host.runtime.db as { isAvailable(): boolean };
    const original = db.isAvailable;
    db.isAvailable = () => false;
    try {
      const res = await host.request('/rest/api/2/myself', { auth: ADMIN });
      expect(res.status).to.equal(503);
      expect(res.json.errorMessages ?? [res.json.errorMessage]).to.have.length(1);
      expect((await host.request('/rest/testplugin/1.0/notes', { auth: ADMIN })).status).to.equal(503);
      expect((await host.request('/rest/api/2/serverInfo')).status).to.equal(200);
    } finally {
      db.isAvailable = original;
    }
  });
});
