// A user-less token lasts only as long as the system admin power of whoever holds its secret. It
// was held to its creator alone ("rotating it does not change its creator"), so another system
// admin who regenerated it held a secret whose life followed someone else's power: demoted, they
// kept acting as any non-sysadmin user through it. A regeneration by another system admin now holds
// the token to them (ISSUED_TO).
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';

const SYSADMINS = 'jira-administrators';
const MYSELF = '/rest/api/2/myself';

forEachDatabase('A user-less token another system admin regenerated', (kind) => {
  let e2e: E2eEnv;
  before(async () => {
    e2e = await startE2e('jira', kind);
    await e2e.host.runtime.users.createUser({ name: 'sys3', password: 'sys3-pw-1', email: 'sys3@example.com', displayName: 'SYS3', groups: ['jira-software-users', SYSADMINS] });
  });
  after(() => stopAndCheckLeaks(e2e));

  it('should not leave a working secret of another admin\'s user-less token in the hands of a system admin who is demoted', async () => {
    const userless = await e2e.createToken('admin', { userless: true, restrictions: '[GET].*/rest/api/2/myself' });
    const rotated = await e2e.req(`${API}/user/token/${userless.id}/rotate`, { method: 'POST', auth: ['sys3', 'sys3-pw-1'] });
    const secret = rotated.json?.plainTextToken as string | undefined;
    if (secret) e2e.issued.push(secret);
    await e2e.host.runtime.users.removeUserFromGroup('sys3', SYSADMINS);
    // Either the regeneration was refused (no secret) or the secret follows sys3's power: 401 now.
    if (secret) expect((await e2e.req(MYSELF, { auth: ['alice', secret] })).status).to.equal(401);
    else expect(rotated.status).to.equal(403);
  });
});
