// Per-token restriction rules through real HTTP on a started host (Jira, context path /jira):
// every rule kind alone and combined, allowing and refusing, with the refusal logged and audited.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';
import { rawRequest } from './support/rawHttp';

forEachDatabase('Token restrictions end to end (rule kinds)', (kind) => {
  let e2e: E2eEnv;
  const tokenWith = async (restrictions: unknown): Promise<string> => (await e2e.createToken('alice', { restrictions })).plainTextToken;
  const get = (token: string, path: string) => e2e.req(path, { bearer: token });

  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  it('should admit only the method a rule names (text form)', async () => {
    const token = await tokenWith('[GET].*/rest/api/2/myself');
    expect((await get(token, '/rest/api/2/myself')).status).to.equal(200);
    const post = await e2e.req('/rest/api/2/filter', { method: 'POST', bearer: token, body: { name: 'x', jql: 'project = TEST' } });
    expect(post.status).to.equal(403);
    expect(post.json).to.have.keys(['errorMessage']);
    expect((await get(token, '/rest/api/2/serverInfo')).status).to.equal(403);
  });

  it('should match the URL after the context path, and also with the context path', async () => {
    const relative = await tokenWith('^/rest/api/2/myself$');
    expect((await get(relative, '/rest/api/2/myself')).status).to.equal(200);
    expect((await get(relative, '/rest/api/latest/myself')).status).to.equal(403);
    const full = await tokenWith('/jira/rest/api/2/myself');
    expect((await get(full, '/rest/api/2/myself')).status).to.equal(200);
    expect((await get(full, '/rest/api/2/configuration')).status).to.equal(403);
  });

  it('should refuse non-canonical paths with 400 before any rule is read', async () => {
    const token = await tokenWith('.*/rest/api/2/issue/JRA-.*');
    const sneaky = await rawRequest(e2e.host.url, '/rest/api/2/issue/JRA-1/../../2/myself', { bearer: token });
    expect(sneaky.status).to.equal(400);
    const encoded = await rawRequest(e2e.host.url, '/rest/api/2/issue/JRA-1%2f..%2fmyself', { bearer: token });
    expect(encoded.status).to.equal(400);
    expect((await get(token, '/rest/api/2/issue/JRA-1')).status).to.not.equal(403);
  });

  it('should require every value of a repeated query parameter to match', async () => {
    const token = await tokenWith('[GET].*/rest/api/2/search[QueryParam::jql==project = TEST.*]');
    expect((await get(token, '/rest/api/2/search?jql=project%20%3D%20TEST')).status).to.equal(200);
    expect((await get(token, '/rest/api/2/search?jql=project%20%3D%20OTHER')).status).to.equal(403);
    expect((await get(token, '/rest/api/2/search?jql=project%20%3D%20TEST&jql=project%20%3D%20OTHER')).status).to.equal(403);
    expect((await get(token, '/rest/api/2/search')).status).to.equal(403);
  });

  it('should check JSON body nodes: top level, nested, missing and non-string', async () => {
    const token = await tokenWith([
      '[POST].*/rest/api/2/filter[JsonData::editable==false][JsonData::favourite==false]',
      '[POST].*/rest/api/2/issue[JsonData::fields.project.key==TEST]',
    ]);
    const filter = (body: unknown) => e2e.req('/rest/api/2/filter', { method: 'POST', bearer: token, body });
    expect((await filter({ name: 'Open bugs', jql: 'project = TEST', favourite: false, editable: false })).status).to.equal(200);
    // "false" as a string matches too (the host itself then refuses the string with 400, not 403).
    expect((await filter({ name: 'Open bugs', jql: 'project = TEST', favourite: 'false', editable: false })).status).to.equal(400);
    expect((await filter({ name: 'Open bugs', jql: 'project = TEST', favourite: true, editable: false })).status).to.equal(403);
    expect((await filter({ name: 'Open bugs', jql: 'project = TEST', editable: false })).status).to.equal(403);
    expect((await filter({ name: 'Open bugs', jql: 'project = TEST', favourite: { no: 1 }, editable: false })).status).to.equal(403);
    expect((await filter('{not json')).status).to.equal(403);
    const issue = (key: string) => e2e.req('/rest/api/2/issue', {
      method: 'POST', bearer: token, body: { fields: { project: { key }, summary: 'by a restricted token', issuetype: { name: 'Task' } } },
    });
    expect((await issue('TEST')).status).to.equal(201);
    expect((await issue('OTHER')).status).to.equal(403);
  });

  it('should hand the body it read to the host unchanged (the host does not read it twice)', async () => {
    const token = await tokenWith('[POST].*/rest/api/2/issue[JsonData::fields.summary==.*]');
    const res = await e2e.req('/rest/api/2/issue', {
      method: 'POST', bearer: token, body: { fields: { project: { key: 'TEST' }, summary: 'body read once', issuetype: { name: 'Task' } } },
    });
    expect(res.status).to.equal(201);
    const issue = await e2e.as('alice', `/rest/api/2/issue/${res.json.key}`);
    expect(issue.json.fields.summary).to.equal('body read once');
  });

  it('should answer 413 with errorMessage to a body above 1 MB when a JSON rule needs it', async () => {
    const token = await tokenWith('[POST].*/rest/api/2/filter[JsonData::editable==false]');
    const big = JSON.stringify({ name: 'x'.repeat(1100 * 1024), editable: false });
    const res = await e2e.req('/rest/api/2/filter', { method: 'POST', bearer: token, body: big });
    expect(res.status).to.equal(413);
    expect(res.json).to.have.keys(['errorMessage']);
  });

  it('should check header rules case-insensitively by name', async () => {
    const token = await tokenWith({ rules: [{ urlPattern: '.*/myself', headers: [{ name: 'X-Client', pattern: 'ci-(build|deploy)' }] }] });
    expect((await e2e.req('/rest/api/2/myself', { bearer: token, headers: { 'x-client': 'ci-build' } })).status).to.equal(200);
    expect((await e2e.req('/rest/api/2/myself', { bearer: token, headers: { 'X-Client': 'laptop' } })).status).to.equal(403);
    expect((await get(token, '/rest/api/2/myself')).status).to.equal(403);
  });

  it('should admit a request that any one of several rules admits (combined kinds)', async () => {
    const token = await tokenWith({
      rules: [
        { method: 'GET', urlPattern: '.*/rest/api/2/search', queryParams: [{ name: 'jql', pattern: 'project = TEST' }], headers: [{ name: 'X-Client', pattern: 'ci' }] },
        { method: 'GET', urlPattern: '.*/rest/api/2/myself' },
      ],
    });
    expect((await e2e.req('/rest/api/2/search?jql=project%20%3D%20TEST', { bearer: token, headers: { 'X-Client': 'ci' } })).status).to.equal(200);
    expect((await get(token, '/rest/api/2/search?jql=project%20%3D%20TEST')).status).to.equal(403);
    expect((await get(token, '/rest/api/2/myself')).status).to.equal(200);
  });

  it('should log and audit a refusal with the engine reason, and show rules in both list views', async () => {
    const created = await e2e.createToken('alice', { tokenDescription: 'audited restricted', restrictions: '[GET].*/rest/api/2/myself' });
    expect((await get(created.plainTextToken, '/rest/api/2/configuration')).status).to.equal(403);
    expect(e2e.logs.some((l) => l.includes('API token refused') && l.includes('"reason":"RESTRICTED"') && l.includes('"detail":"NO_RULE_MATCHED"') && l.includes(`"tokenId":${created.id}`))).to.equal(true);
    const ours = (events: Array<Record<string, unknown>>) => events.some((ev) => JSON.stringify(ev).includes('RESTRICTED:NO_RULE_MATCHED'));
    expect(ours(await e2e.auditEvents('token.refused', ours))).to.equal(true);
    const own = (await e2e.as('alice', `${API}/user/token`)).json as Array<Record<string, unknown>>;
    const mine = own.find((t) => t.id === created.id)!;
    expect(mine.restrictionsText).to.equal('[GET].*/rest/api/2/myself');
    expect(mine.restrictions).to.deep.equal({ rules: [{ method: 'GET', urlPattern: '.*/rest/api/2/myself' }], ipAllowlist: [] });
    const all = await e2e.as('admin', `${API}/user/tokensByFilter?descriptionFilter=audited%20restricted`);
    expect(all.json.content[0]).to.include({ restrictionsText: '[GET].*/rest/api/2/myself' });
  });

  it('should change the rules with PATCH and apply them at once', async () => {
    const created = await e2e.createToken('alice', { restrictions: '[GET].*/rest/api/2/myself' });
    expect((await get(created.plainTextToken, '/rest/api/2/configuration')).status).to.equal(403);
    const patched = await e2e.as('alice', `${API}/user/token/${created.id}`, { method: 'PATCH', body: { restrictions: '[GET].*/rest/api/2/configuration' } });
    expect(patched.status).to.equal(200);
    expect((await get(created.plainTextToken, '/rest/api/2/configuration')).status).to.equal(200);
    expect((await get(created.plainTextToken, '/rest/api/2/myself')).status).to.equal(403);
    const cleared = await e2e.as('alice', `${API}/user/token/${created.id}`, { method: 'PATCH', body: { restrictions: null } });
    expect(cleared.json.restrictions).to.equal(null);
    expect((await get(created.plainTextToken, '/rest/api/2/myself')).status).to.equal(200);
  });
});
