// Jira's REST rule for changes in a body an HTML form can send (form, multipart, text/plain):
// `X-Atlassian-Token: no-check` or 403 XSRF check failed, whatever authenticated the request. The
// host applied it to cookie sessions only, but a browser also sends Basic credentials it has
// cached with a cross-site `<form method="post" enctype="text/plain">` (no CORS preflight), and
// the token API reads an empty text/plain body as `{}`: such a form regenerated the victim's
// token (ids are small numbers; for an administrator, anyone's) and cut off their scripts. A
// body-less cross-site POST (`navigator.sendBeacon`, a no-cors `fetch`) has no Content-Type at
// all: the browser's `Sec-Fetch-Site` or `Origin` says where it comes from.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const MYSELF = '/rest/api/2/myself';
/** Jira's words first; a form body without cross-site marks also names the fix (test/e2e/host/xsrfFormBodyHint). */
const XSRF = /^XSRF check failed/;

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
      expect(res.json.errorMessage).to.match(XSRF);
    }
    expect((await e2e.req(MYSELF, { bearer: victim.plainTextToken })).status).to.equal(200);
  });

  it('should refuse a form body through a token as well', async () => {
    const caller = await e2e.createToken('bob', { tokenDescription: 'caller' });
    const res = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: caller.plainTextToken, headers: { 'Content-Type': 'text/plain' }, body: '' });
    if (typeof res.json?.plainTextToken === 'string') e2e.issued.push(res.json.plainTextToken);
    expect(res.status).to.equal(403);
    expect(res.json.errorMessage).to.match(XSRF);
  });

  it('should refuse a body-less change a browser sends from another site, by Sec-Fetch-Site or by Origin', async () => {
    const victim = await e2e.createToken('alice', { tokenDescription: 'CI 2' });
    const alice: [string, string] = [e2e.users.alice.name, e2e.users.alice.password];
    const crossSite: Array<Record<string, string>> = [{ 'Sec-Fetch-Site': 'cross-site' }, { 'Sec-Fetch-Site': 'same-site' }, { Origin: 'https://evil.example' }, { Origin: 'null' }];
    for (const headers of crossSite) {
      const res = await e2e.req(`${API}/user/token/${victim.id}/rotate`, { method: 'POST', auth: alice, headers });
      if (typeof res.json?.plainTextToken === 'string') e2e.issued.push(res.json.plainTextToken);
      expect(res.status, JSON.stringify(headers)).to.equal(403);
      expect(res.json.errorMessage).to.match(XSRF);
    }
    const minted = await e2e.req(`${API}/user/token`, { method: 'POST', auth: alice, headers: { 'Sec-Fetch-Site': 'cross-site' } });
    if (typeof minted.json?.plainTextToken === 'string') e2e.issued.push(minted.json.plainTextToken);
    expect(minted.status).to.equal(403);
    expect((await e2e.req(MYSELF, { bearer: victim.plainTextToken })).status).to.equal(200);
  });

  it('should let the same site, scripts and curl through (no Sec-Fetch-Site, no Origin)', async () => {
    const token = await e2e.createToken('bob', { tokenDescription: 'same site' });
    const own = new URL(e2e.host.url).origin;
    const sameSite: Array<Record<string, string>> = [{ 'Sec-Fetch-Site': 'same-origin', Origin: own }, { Origin: own }, {}];
    for (const headers of sameSite) {
      const res = await e2e.req(`${API}/user/token/${token.id}/rotate`, { method: 'POST', auth: [e2e.users.bob.name, e2e.users.bob.password], headers });
      if (typeof res.json?.plainTextToken === 'string') e2e.issued.push(res.json.plainTextToken);
      expect(res.status, `${JSON.stringify(headers)} ${res.text}`).to.equal(200);
    }
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
