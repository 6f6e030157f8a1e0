// Attack review (2026-12-04): "a restricted token cannot escape its restrictions". Each case
// tries to make the rule engine and the routing (or the resource) read one request two ways.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';
import { rawRequest } from '../restrictions/support/rawHttp';

forEachDatabase('Restricted tokens stay inside their restrictions (attack review)', (kind) => {
  let e2e: E2eEnv;
  const tokenWith = async (restrictions: unknown, ipAllowlist?: string[]): Promise<string> =>
    (await e2e.createToken('alice', { restrictions, ...(ipAllowlist ? { ipAllowlist } : {}) })).plainTextToken;

  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  const issueBody = (summary: string) => ({ fields: { project: { key: 'TEST' }, summary, issuetype: { name: 'Bug' } } });
  const summaries = async () => ((await e2e.as('admin', `/rest/api/2/search?jql=${encodeURIComponent('project = TEST')}&maxResults=1000`)).json?.issues as Array<{ fields: { summary: string } }>)
    .map((i) => i.fields.summary);

  it('should read a JSON body the way the resource reads it: duplicate keys, +json types, other charsets, non-JSON types', async () => {
    const token = await tokenWith('[POST].*/rest/api/2/issue[JsonData::fields.summary==ok]');
    const dupKeys = '{"fields":{"summary":"ok","project":{"key":"TEST"},"issuetype":{"name":"Bug"},"summary":"evil-dup"}}';
    const dupTop = `{"fields":${JSON.stringify(issueBody('ok').fields)},"fields":${JSON.stringify(issueBody('evil-top').fields)}}`;
    const escaped = '{"fields":{"summary":"ok","project":{"key":"TEST"},"issuetype":{"name":"Bug"},"summ\\u0061ry":"evil-escape"}}';
    for (const [what, body, type] of [
      ['duplicate nested key', dupKeys, 'application/json'],
      ['duplicate top-level key', dupTop, 'application/json'],
      ['escaped key', escaped, 'application/json'],
      ['+json type', JSON.stringify(issueBody('evil-plusjson')), 'application/vnd.attack+json'],
      ['text/plain with JSON', JSON.stringify(issueBody('evil-text')), 'text/plain'],
      ['no content type', JSON.stringify(issueBody('evil-none')), ''],
    ] as const) {
      const headers: Record<string, string> = { 'X-Atlassian-Token': 'no-check' };
      if (type) headers['Content-Type'] = type;
      const res = await rawRequest(e2e.host.url, '/rest/api/2/issue', { method: 'POST', bearer: token, headers, body });
      expect(res.status, `${what}: ${res.status} ${res.text.slice(0, 120)}`).not.to.equal(201);
    }
    // UTF-16 body: both readers decode it alike, so the rule sees what the resource gets.
    const utf16 = Buffer.from(JSON.stringify(issueBody('evil-utf16')), 'utf16le');
    const res16 = await rawRequest(e2e.host.url, '/rest/api/2/issue', { method: 'POST', bearer: token,
      headers: { 'Content-Type': 'application/json; charset=utf-16le' }, body: utf16 });
    expect(res16.status, `utf-16: ${res16.text.slice(0, 120)}`).not.to.equal(201);
    expect((await summaries()).filter((s) => s.startsWith('evil'))).to.deep.equal([]);
    // The allowed body still works.
    const ok = await e2e.req('/rest/api/2/issue', { method: 'POST', bearer: token, body: issueBody('ok') });
    expect(ok.status).to.equal(201);
  });

  it('should not believe X-Forwarded-For, Forwarded or X-Real-IP without a trusted proxy', async () => {
    const token = await tokenWith(null, ['10.9.9.9']);
    const spoofs: Array<Record<string, string>> = [{ 'X-Forwarded-For': '10.9.9.9' }, { 'X-Forwarded-For': '10.9.9.9, 10.9.9.9' }, { Forwarded: 'for=10.9.9.9' },
      { 'X-Real-IP': '10.9.9.9' }, { 'X-Client-IP': '10.9.9.9' }, { 'True-Client-IP': '10.9.9.9' }];
    for (const headers of spoofs) {
      const res = await rawRequest(e2e.host.url, '/rest/api/2/myself', { bearer: token, headers });
      expect(res.status, JSON.stringify(headers)).to.equal(403);
    }
  });

  it('should hold a method rule to the method: HEAD and OPTIONS are not GET, and GET is not HEAD', async () => {
    const getOnly = await tokenWith('[GET].*/rest/api/2/myself');
    for (const method of ['HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await rawRequest(e2e.host.url, '/rest/api/2/myself', { method, bearer: getOnly });
      expect(res.status, method).to.equal(403);
    }
    const headOnly = await tokenWith('[HEAD].*/rest/api/2/myself');
    expect((await rawRequest(e2e.host.url, '/rest/api/2/myself', { method: 'GET', bearer: headOnly })).status).to.equal(403);
  });

  it('should require every value of a repeated header a rule names to match', async () => {
    const token = await tokenWith({ rules: [{ method: 'GET', urlPattern: '.*/rest/api/2/myself', headers: [{ name: 'X-Client', pattern: 'ci' }] }] });
    expect((await rawRequest(e2e.host.url, '/rest/api/2/myself', { bearer: token, headers: { 'X-Client': 'ci' } })).status).to.equal(200);
    expect((await rawRequest(e2e.host.url, '/rest/api/2/myself', { bearer: token, headers: { 'X-Client': ['ci', 'other'] } })).status).to.equal(403);
    expect((await rawRequest(e2e.host.url, '/rest/api/2/myself', { bearer: token, headers: { 'x-client': 'other' } })).status).to.equal(403);
  });

  it('should match the path without query or fragment, and refuse ambiguous spellings that route elsewhere', async () => {
    const token = await tokenWith('[GET].*/rest/api/2/myself');
    for (const raw of [
      '/rest/api/2/serverInfo?/rest/api/2/myself',
      '/rest/api/2/configuration?x=/rest/api/2/myself',
      '/rest/api/2/configuration#/rest/api/2/myself',
      '/rest/api/2/configuration;/rest/api/2/myself',
      '/rest/api/2/configuration%3F/rest/api/2/myself',
      '/rest/api/2/configuration%23/rest/api/2/myself',
      '/rest/api/2/configuration%00/rest/api/2/myself',
      '/rest/api/2/configuration/%2e%2e/myself',
      '/rest/api/2/configuration%252f..%252fmyself',
      '/rest/auditing/1.0/events?/rest/api/2/myself',
    ]) {
      const res = await rawRequest(e2e.host.url, raw, { bearer: token });
      expect(res.status, `${raw} → ${res.status}`).to.be.oneOf([400, 403, 404]);
    }
    // Absolute-form targets whose path a parser would read differently.
    for (const target of ['http://127.0.0.1/jira/rest/api/2/configuration/../myself', 'http://x@127.0.0.1/jira/rest/api/2/configuration?/rest/api/2/myself']) {
      const res = await rawRequest(e2e.host.url.replace(/\/jira\/?$/, ''), target.replace(/^/, ''), { bearer: token }).catch(() => ({ status: 0, text: '' }));
      expect(res.status, target).not.to.equal(200);
    }
  });
});
