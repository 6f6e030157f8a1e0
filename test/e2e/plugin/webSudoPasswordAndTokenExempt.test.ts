// Websudo guards browser sessions. A request that carries the password (Basic) or an API token
// proves itself with every call, as in Jira: every administrative call runs without any websudo
// window, and none of them answers WEBSUDO_REQUIRED.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { outcomeOf } from '../../support/errorCodes';
import { ADMIN_CALLS, adminFixture, prepareAdminCalls, sendAdminCall } from './support/adminCalls';
import { startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

const ACTING_AS_OTHERS: ReadonlySet<string> = new Set(['create a user-less token', 'create a sudo token']);

forEachDatabase('administrative calls with a password or a token', (kind) => {
  let e2e: E2eEnv;
  before(async () => {
    e2e = await startE2e('jira', kind);
    await prepareAdminCalls(e2e);
  });
  after(() => stopAndCheckLeaks(e2e));

  for (const call of ADMIN_CALLS) {
    it(`should ${call.name} with the password (Basic), without websudo`, async () => {
      const fx = await adminFixture(e2e, `basic ${call.name}`);
      const res = await sendAdminCall(e2e, call, fx, { auth: ['admin', 'admin'] });
      expect(outcomeOf(res), call.name).to.equal(200);
    });

    it(`should ${call.name} with an API token, without websudo`, async () => {
      const fx = await adminFixture(e2e, `token ${call.name}`);
      // Made after the target, so that it is not less powerful than the token it regenerates.
      const token = await e2e.createToken('admin', { tokenDescription: `admin automation ${call.name}` });
      const res = await sendAdminCall(e2e, call, fx, { bearer: token.plainTextToken });
      // User-less and sudo tokens act as other users: only a sudo token creates one (docs/api.md), websudo or not.
      expect(outcomeOf(res), call.name).to.equal(ACTING_AS_OTHERS.has(call.name) ? 'TOKEN_PRIVILEGE_EXCEEDED' : 200);
    });
  }
});
