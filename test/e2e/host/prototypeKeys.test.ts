// The host's own REST resources read only own properties of user JSON (issue 11, part E):
// a field named "__proto__" is reported like any other unknown field (it used to vanish into
// the error object's prototype, so the edit went through), and inherited names are no fields.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';

const ADMIN = ['admin', 'admin'] as const;

forEachDatabase('Host REST and prototype keys', (dbKind) => {
  let host: TestHost;
  let issueKey: string;
  before(async () => {
    host = await startTestHost({ product: 'jira', dbKind, descriptors: [] });
    const created = await host.request('/rest/api/2/issue', {
      method: 'POST', auth: ADMIN, body: { fields: { project: { key: 'TEST' }, summary: 'Original', issuetype: { name: 'Bug' } } },
    });
    expect(created.status, created.text).to.equal(201);
    issueKey = created.json.key;
  });
  after(async () => { await host?.stop(); });

  const raw = (method: string, path: string, json: string) =>
    host.request(path, { method, auth: ADMIN, body: json, headers: { 'Content-Type': 'application/json' } });

  it('should report an unknown "__proto__" field of an issue edit and change nothing', async () => {
    for (const name of ['__proto__', 'constructor', 'toString']) {
      const res = await raw('PUT', `/rest/api/2/issue/${issueKey}`, `{"fields":{${JSON.stringify(name)}:{"summary":"x"},"summary":"Changed"}}`);
      expect(res.status, `${name}: ${res.text}`).to.equal(400);
      expect(Object.keys(res.json.errors), name).to.deep.equal([name]);
    }
    const issue = await host.request(`/rest/api/2/issue/${issueKey}`, { auth: ADMIN });
    expect(issue.json.fields.summary).to.equal('Original');
  });

  it('should not take a missing field from Object.prototype, and report "__proto__" as unknown', async () => {
    const res = await raw('POST', '/rest/api/2/issue', '{"fields":{"__proto__":{"project":{"key":"TEST"},"summary":"s","issuetype":{"name":"Bug"}}}}');
    expect(res.status, res.text).to.equal(400);
    expect(Object.keys(res.json.errors).sort()).to.deep.equal(['__proto__', 'issuetype', 'project', 'summary']);
  });

  it('should answer a session login with "__proto__" credentials with 400, never 500', async () => {
    const res = await raw('POST', '/rest/auth/1/session', '{"__proto__":{"username":"admin","password":"admin"}}');
    expect(res.status, res.text).to.equal(400);
  });
});
