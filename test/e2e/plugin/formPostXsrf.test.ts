// Jira's REST rule for changes in a body an HTML form can send (form, multipart, text/plain):
// `X-Atlassian-Token: no-check` or 403 XSRF check failed, whatever authenticated the request. The
// host applied it to cookie sessions only, but a browser also sends Basic credentials it has
// cached with a cross-site `<form method="post" enctype="text/plain">` (no CORS preflight), and
// the token API reads an empty text/plain body as `{}`: such a form regenerated the victim's
// token (ids are small numbers; for an administrator, anyone's) and cut off their scripts.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const MYSELF = '/rest/api/2/myself';
const XSRF = { errorMessage: 'XSRF check failed' };

forEachDatabase('REST changes in a form body need X-Atlassian-Token, whoever sends them', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  it('should refuse a text/plain regenerate with cached Basic credentials and keep the token working', async () => {
    const victim = await e2e.createToken('alice', { tokenDescription: 'CI' });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=----x']) {
      const res = await e2e.req(`${API}/user/token/${victim.id}/rotate`, {
        method: 'POST', auth: [e2e.users.alice.name, e2e.users.alice.password], headers: { 'Content-Type': type }, body: '',
      });
      if (typeof res.json?.plainTextToken === 'string') e2e.issued.push(res.json.plainTextToken);
      expect(res.status, type).to.equal(403);
      expect(res.json).to.deep.equal(XSRF);
    }
    expect((await e2e.req(MYSELF, { bearer: victim.plainTextToken })).status).to.equal(200);
  });

  it('should refuse a form body through a token as well', async () => {
    const caller = await e2e.createToken('bob', { tokenDescription: 'caller' });
    const res = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: caller.plainTextToken, headers: { 'Content-Type': 'text/plain' }, body: '' });
    if (typeof res.json?.plainTextToken === 'string') e2e.issued.push(res.json.plainTextToken);
    expect(res.status).to.equal(403);
    expect(res.json).to.deep.equal(XSRF);
  });

  it('should let the same call through with X-Atlassian-Token: no-check, as Jira does', async () => {
    const token = await e2e.createToken('alice', { tokenDescription: 'regenerated on purpose' });
    const res = await e2e.req(`${API}/user/token/${token.id}/rotate`, {
      method: 'POST', auth: [e2e.users.alice.name, e2e.users.alice.password], headers: { 'Content-Type': 'text/plain', 'X-Atlassian-Token': 'no-check' }, body: '',
    });
    if (typeof res.json?.plainTextToken === 'string') e2e.issued.push(res.json.plainTextToken);
    expect(res.status, res.text).to.equal(200);
  });
});
