// The system properties that switch the host's websudo off (Jira's `jira.websudo.is.disabled`,
// the host's `hostsim.websudo.disabled`) switch it off for the token API's administrative calls
// as well: a session without any password re-entry runs them.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { ADMIN_CALLS, adminFixture, prepareAdminCalls, sendAdminCall, sessionOf } from './support/adminCalls';
import { startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

const SWITCHES = [
  { product: 'jira', property: 'jira.websudo.is.disabled' },
  { product: 'confluence', property: 'hostsim.websudo.disabled' },
] as const;

for (const { product, property } of SWITCHES) {
  forEachDatabase(`administrative calls with ${property}=true (${product})`, (kind) => {
    let e2e: E2eEnv;
    before(async () => {
      e2e = await startE2e(product, kind, { HOSTSIM_SYSPROPS: `${property}=true` });
      await prepareAdminCalls(e2e);
    });
    after(() => stopAndCheckLeaks(e2e));

    it('should run every administrative call by a session that never entered the password again', async () => {
      const outcomes: Record<string, number> = {};
      const expected: Record<string, number> = {};
      for (const call of ADMIN_CALLS) {
        const fx = await adminFixture(e2e, call.name);
        outcomes[call.name] = (await sendAdminCall(e2e, call, fx, await sessionOf(e2e, 'admin'))).status;
        expected[call.name] = call.ok;
      }
      expect(outcomes).to.deep.equal(expected);
    });
  });
}
