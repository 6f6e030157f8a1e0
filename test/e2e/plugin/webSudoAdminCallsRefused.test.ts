// A system administrator's cookie session without a live websudo window (signed in, password not
// entered again) may not run any administrative call of the token API: 401 WEBSUDO_REQUIRED, a
// header the pages recognise, and nothing changed — no token, no setting, no audit event. A
// hijacked or left-open browser session cannot act as the administrator without the password.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { ADMIN_CALLS, adminFixture, prepareAdminCalls, adminStateSnapshot, sendAdminCall, sessionOf } from './support/adminCalls';
import { startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

forEachDatabase('administrative calls by a session without websudo', (kind) => {
  let e2e: E2eEnv;
  before(async () => {
    e2e = await startE2e('jira', kind);
    await prepareAdminCalls(e2e);
  });
  after(() => stopAndCheckLeaks(e2e));

  for (const call of ADMIN_CALLS) {
    it(`should refuse to ${call.name} with 401 WEBSUDO_REQUIRED and change nothing`, async () => {
      const fx = await adminFixture(e2e, call.name);
      const session = await sessionOf(e2e, 'admin');
      const before = await adminStateSnapshot(e2e);
      const res = await sendAdminCall(e2e, call, fx, session);
      expectError(res, 'WEBSUDO_REQUIRED', call.name);
      expect(res.headers.get('x-apitokenauth-websudo'), 'websudo header').to.equal('required');
      expect(res.text).not.to.include('apitok_');
      expect(await adminStateSnapshot(e2e), 'nothing changed').to.equal(before);
      expect((await e2e.req('/rest/api/2/myself', { bearer: fx.plainText })).status, 'alice\'s token still works').to.equal(200);
    });
  }
});
