// The commonest first mistake with the REST API: `curl -u admin:admin -d '{"tokenDescription": …}'`
// without `-H 'Content-Type: application/json'` sends the JSON as a form
// (application/x-www-form-urlencoded), which Jira's XSRF rule refuses with 403. The answer said
// only "XSRF check failed" (found by the newcomer walkthrough, 2026-12-05): nothing about the
// content type or the header that lets a form through. A form or text body sent without a
// browser's cross-site marks now gets both fixes named; a cross-site request keeps the bare answer.
import { expect } from 'chai';
import { startHost, type Host } from '../../../host-sim/testing';

const CREATE = '/rest/de.resolution.apitokenauth/latest/user/token';
const ADMIN: [string, string] = ['admin', 'admin'];

describe('REST XSRF refusal of a form body: names the fix', function () {
  this.timeout(60_000);
  let host: Host;
  before(async () => { host = await startHost(); });
  after(() => host.stop());

  for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
    it(`should answer 403 naming Content-Type: application/json and X-Atlassian-Token: no-check for a ${type.split(';')[0]} body`, async () => {
      const res = await host.request(CREATE, { method: 'POST', auth: ADMIN, headers: { 'Content-Type': type }, body: '{"tokenDescription": "CI"}' });
      expect(res.status).to.equal(403);
      const message = res.json.errorMessage as string;
      expect(message).to.match(/^XSRF check failed/);
      expect(message).to.contain('Content-Type: application/json');
      expect(message).to.contain('X-Atlassian-Token: no-check');
      expect(message).to.contain(type.split(';')[0]);
    });
  }

  it('should give the hint in German for Accept-Language: de', async () => {
    const res = await host.request(CREATE, {
      method: 'POST', auth: ADMIN, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Language': 'de' }, body: '{}',
    });
    expect(res.status).to.equal(403);
    expect(res.json.errorMessage).to.match(/^XSRF check failed/);
    expect(res.json.errorMessage).to.contain('X-Atlassian-Token: no-check');
    expect(res.json.errorMessage).not.to.equal(
      (await host.request(CREATE, { method: 'POST', auth: ADMIN, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '{}' })).json.errorMessage);
  });

  it('should keep the bare answer for a request a browser marks as cross-site', async () => {
    const res = await host.request(CREATE, { method: 'POST', auth: ADMIN, headers: { 'Sec-Fetch-Site': 'cross-site' }, body: { tokenDescription: 'CI' } });
    expect(res.status).to.equal(403);
    expect(res.json).to.deep.equal({ errorMessage: 'XSRF check failed' });
  });

  it('should create the token once the body is sent as JSON (the control)', async () => {
    const res = await host.request(CREATE, { method: 'POST', auth: ADMIN, headers: { 'Content-Type': 'application/json' }, body: '{"tokenDescription": "CI"}' });
    expect(res.status).to.equal(200);
  });
});
