// A token never switches this plugin off or on through UPM (docs/api.md "What a token may do").
// With password Basic switched off and the settings API refusing to switch it back on through a
// token, a system admin's ordinary token disabled the plugin through UPM — whose filter is what
// refuses passwords — and password Basic was accepted again on every REST URL, a change that
// outlived the token. Found by the seventh attack review.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const SETTINGS = `${API}/admin/settings`;
const UPM = '/rest/plugins/1.0/de.resolution.apitokenauth-key';

forEachDatabase('This plugin switched through UPM by a token', (kind) => {
  let e2e: E2eEnv;
  let token: string;
  before(async () => {
    e2e = await startE2e('jira', kind);
    token = (await e2e.createToken('admin', { tokenDescription: 'ci job' })).plainTextToken;
  });
  after(async () => {
    await e2e.inSession('admin', UPM, { method: 'PUT', body: { enabled: true } });
    await e2e.inSession('admin', SETTINGS, { method: 'PUT', body: { passwordBasicAuthAllowed: true } });
    await stopAndCheckLeaks(e2e);
  });

  it('should refuse a token every change of this plugin in UPM, however the URL is spelled, and keep password Basic off', async () => {
    expect((await e2e.as('admin', SETTINGS, { method: 'PUT', body: { passwordBasicAuthAllowed: false } })).status).to.equal(200);
    expect((await e2e.as('alice', '/rest/api/2/myself')).status, 'password Basic is off').to.equal(401);
    for (const path of [UPM, `${UPM}/`, UPM.toUpperCase().replace('-KEY', '-key'), '/rest/plugins/latest/de.resolution.apitokenauth-key']) {
      for (const method of ['PUT', 'POST', 'DELETE'] as const) {
        expectError(await e2e.req(path, { method, bearer: token, body: { enabled: false } }), 'FORBIDDEN', `${method} ${path}`);
      }
    }
    const read = await e2e.req(UPM, { bearer: token });
    expect(read.status, 'reading it stays allowed').to.equal(200);
    expect(read.json.enabled).to.equal(true);
    expect((await e2e.as('alice', '/rest/api/2/myself')).status, 'password Basic still off').to.equal(401);
  });

  it('should let a session switch the plugin off and on', async () => {
    const off = await e2e.inSession('admin', UPM, { method: 'PUT', body: { enabled: false } });
    expect(off.status, off.text).to.equal(200);
    expect(off.json.enabled).to.equal(false);
    const on = await e2e.inSession('admin', UPM, { method: 'PUT', body: { enabled: true } });
    expect(on.json.enabled).to.equal(true);
  });
});
