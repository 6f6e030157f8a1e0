// Restriction patterns at creation (400 with field errors, English and German) and at request
// time: a pattern that would backtrack catastrophically elsewhere runs in linear time (RE2), so
// the request is answered and the server keeps answering others meanwhile.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';

forEachDatabase('Token restrictions end to end (patterns)', (kind) => {
  let e2e: E2eEnv;
  const create = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    e2e.as('alice', `${API}/user/token`, { method: 'POST', body, headers });

  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  it('should refuse invalid and unsupported patterns with 400 and store nothing', async () => {
    const before = (await e2e.as('alice', `${API}/user/token`)).json.length;
    const cases: Array<[unknown, string]> = [
      ['[GET].*(a', 'restrictions'],
      ['.*/issue/(a)\\1', 'restrictions'],
      ['.*/issue/(?=JRA).*', 'restrictions'],
      ['[FETCH].*/myself', 'restrictions'],
      [{ rules: [{ urlPattern: 'a'.repeat(1001) }] }, 'restrictions.rules[0].urlPattern'],
      [{ rules: [{ urlPattern: '.*', queryParams: [{ name: 'q', pattern: '(?<=x)y' }] }] }, 'restrictions.rules[0].queryParams[0].pattern'],
      [{ rules: [{ urlPattern: '.*', headers: [{ name: 'Authorization', pattern: '.*' }] }] }, 'restrictions.rules[0].headers[0].name'],
      [{ rules: 5 }, 'restrictions'],
    ];
    for (const [restrictions, field] of cases) {
      const res = await create({ restrictions });
      expect(res.status, JSON.stringify(restrictions).slice(0, 80)).to.equal(400);
      expect(res.json).to.have.keys(['errorMessage', 'errors']);
      expect(Object.keys(res.json.errors).some((k) => k.startsWith(field)), `${Object.keys(res.json.errors).join()} vs ${field}`).to.equal(true);
    }
    expect((await e2e.as('alice', `${API}/user/token`)).json.length).to.equal(before);
  });

  it('should localise restriction errors (German)', async () => {
    const en = await create({ restrictions: '.*(?=x)' });
    const de = await create({ restrictions: '.*(?=x)' }, { 'Accept-Language': 'de' });
    expect(de.status).to.equal(400);
    expect(de.json.errorMessage).to.not.equal(en.json.errorMessage);
    expect(Object.values(de.json.errors)[0]).to.not.equal(Object.values(en.json.errors)[0]);
  });

  it('should answer a request against a backtracking-prone pattern while serving others', async () => {
    const { plainTextToken } = await e2e.createToken('alice', {
      restrictions: ['[GET].*/rest/api/2/search[QueryParam::jql==(a+)+b]', '[GET]((.*)*)*x/rest/api/2/myself'],
    });
    const evil = `/rest/api/2/search?jql=${'a'.repeat(6000)}c`;
    const evilPath = `/rest/api/2/${'a/'.repeat(2000)}myself`;
    const [slow, slowPath, ...others] = await Promise.all([
      e2e.req(evil, { bearer: plainTextToken }),
      e2e.req(evilPath, { bearer: plainTextToken }),
      ...Array.from({ length: 20 }, () => e2e.req('/rest/api/2/serverInfo')),
    ]);
    expect(slow.status).to.equal(403);
    expect(slowPath.status).to.equal(403);
    expect(others.map((r) => r.status)).to.deep.equal(Array(20).fill(200));
    const ok = await e2e.req(`/rest/api/2/search?jql=${'a'.repeat(50)}b`, { bearer: plainTextToken });
    expect(ok.status).to.not.equal(403);
  });

  it('should refuse a user-supplied restriction on a token created through a restricted token', async () => {
    const { plainTextToken } = await e2e.createToken('alice', { restrictions: '.*' });
    const res = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: plainTextToken, body: {} });
    expect(res.status).to.equal(403);
  });
});
