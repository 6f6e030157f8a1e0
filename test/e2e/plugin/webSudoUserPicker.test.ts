// The Token Manager's user picker (`/plugins/servlet/de.resolution.apitokenauth/users/search` and
// `/users/lookup`) finds any user's key, name and e-mail address by part of it: what
// `GET /user/userKeyByEmail` answers, which asks websudo of an administrator's session. The
// servlet's JSON is no decorated page, so the host did not ask either: a session without a window
// searched the directory by e-mail. Found by attack review H.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { sessionOf } from './support/adminCalls';
import { startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const SERVLET = '/plugins/servlet/de.resolution.apitokenauth';

forEachDatabase('the user picker by a session without websudo', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  const paths = (e2e: E2eEnv): string[] => [
    `${SERVLET}/users/search?query=${encodeURIComponent(e2e.users.alice.email)}`,
    `${SERVLET}/users/lookup?key=${encodeURIComponent(e2e.users.alice.key)}`,
  ];

  it('should refuse an administrator\'s session without a window with 401 WEBSUDO_REQUIRED and no user in the answer', async () => {
    const session = await sessionOf(e2e, 'admin');
    for (const path of paths(e2e)) {
      const res = await e2e.req(path, session);
      expectError(res, 'WEBSUDO_REQUIRED', path);
      expect(res.headers.get('x-apitokenauth-websudo'), path).to.equal('required');
      expect(res.text, path).not.to.include(e2e.users.alice.email);
    }
  });

  it('should answer the same session once the password was entered again, and the password without websudo', async () => {
    const session = await sessionOf(e2e, 'admin');
    await e2e.host.enterWebSudo(session.cookie, e2e.users.admin.password);
    for (const path of paths(e2e)) {
      const res = await e2e.req(path, session);
      expect(res.status, path).to.equal(200);
      expect(res.text, path).to.include(e2e.users.alice.key);
      expect((await e2e.req(path, { auth: ['admin', 'admin'] })).status, `${path} with the password`).to.equal(200);
    }
  });
});
