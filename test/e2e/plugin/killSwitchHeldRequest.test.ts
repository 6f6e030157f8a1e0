// The kill switch (the plugin disabled in UPM) ends every token at once. A request whose token
// was admitted on its headers before the switch, its body held back, must not finish as that
// token's user after it: a thief holding many such requests open would outlast the switch.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';
import { heldRequest } from './support/heldRequest';

const UPM = '/rest/plugins/1.0/de.resolution.apitokenauth-key';

forEachDatabase('Kill switch and a token request whose body was held back', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(async () => {
    await e2e.host.request(UPM, { method: 'PUT', auth: ['admin', 'admin'], body: { enabled: true } });
    await stopAndCheckLeaks(e2e);
  });

  it('should not create a user through a system admin\'s token after the plugin was disabled meanwhile', async () => {
    const stolen = await e2e.createToken('admin', { tokenDescription: 'admin stolen before the switch' });
    const pending = await heldRequest(e2e.host.baseUrl, '/rest/api/2/user', stolen.plainTextToken,
      { name: 'afterswitch', password: 'afterswitch-pw-1', emailAddress: 'a@example.com', displayName: 'After switch' });
    const off = await e2e.host.request(UPM, { method: 'PUT', auth: ['admin', 'admin'], body: { enabled: false } });
    expect(off.status).to.equal(200);

    const answer = await pending.finish();
    expect({ status: answer.status, created: (await e2e.host.runtime.users.getUserByName('afterswitch')) !== null })
      .to.deep.equal({ status: 401, created: false });
  });
});
