// Once the administrator has entered the password again on the host's websudo page, the same
// cookie session runs every administrative call of the token API.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { ADMIN_CALLS, adminFixture, prepareAdminCalls, sendAdminCall, sessionOf } from './support/adminCalls';
import { startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

forEachDatabase('administrative calls by a session inside its websudo window', (kind) => {
  let e2e: E2eEnv;
  before(async () => {
    e2e = await startE2e('jira', kind);
    await prepareAdminCalls(e2e);
  });
  after(() => stopAndCheckLeaks(e2e));

  for (const call of ADMIN_CALLS) {
    it(`should ${call.name} once the password was entered again`, async () => {
      const fx = await adminFixture(e2e, call.name);
      const session = await sessionOf(e2e, 'admin');
      await e2e.host.enterWebSudo(session.cookie, e2e.users.admin.password);
      const res = await sendAdminCall(e2e, call, fx, session);
      expect(res.status, `${call.name}: ${res.text.slice(0, 200)}`).to.equal(call.ok);
    });
  }
});
