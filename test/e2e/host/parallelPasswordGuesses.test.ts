// Password guesses sent at once (race review): the failed-login limit (MAX_FAILED_LOGINS, 3)
// bounds how many passwords of one user a REST client may try before the CAPTCHA state refuses
// every Basic login. Each login read the counter, checked the password and only then counted the
// failure, so guesses sent together all read the count below the limit and all were checked.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, type TestHost } from '../../support/hostServer';

const GUESSES = 30;

forEachDatabase('Failed-login limit under parallel guesses', (dbKind) => {
  let host: TestHost;
  before(async () => {
    host = await startTestHost({ product: 'jira', dbKind, descriptors: [] });
    await host.runtime.users.createUser({ name: 'erin', password: 'right', email: 'erin@example.com', displayName: 'erin', groups: ['jira-software-users'] });
  });
  after(async () => { await host?.stop(); });

  // FINDING: of 30 wrong passwords sent at once, far more than three were checked (401) before
  // the CAPTCHA state answered 403; the right password among them was let in.
  it('should check no more passwords than the limit when guesses arrive at once, the right one last', async () => {
    const answers = await Promise.all(Array.from({ length: GUESSES }, (_, i) =>
      host.request('/rest/api/2/myself', { auth: ['erin', i === GUESSES - 1 ? 'right' : `wrong-${i}`] })));
    const checked = answers.filter((a) => a.status === 401).length;
    const admitted = answers.filter((a) => a.status === 200).length;
    const info = await host.runtime.loginManager.getLoginInfo('erin');
    expect({ checked: checked + admitted, failures: info.totalFailedLoginCount },
      `answers: ${answers.map((a) => a.status).join(',')}`).to.deep.equal({ checked: 3, failures: 3 });
  });

  // What held: the checks wait for each other only while failures could reach the limit, and the
  // right password never counts, so a script sending many requests at once is not locked out.
  it('should let in every one of many requests with the right password sent at once, also after two failures', async () => {
    await host.runtime.users.createUser({ name: 'frank', password: 'right', email: 'frank@example.com', displayName: 'frank', groups: ['jira-software-users'] });
    for (let i = 0; i < 2; i++) expect((await host.request('/rest/api/2/myself', { auth: ['frank', 'wrong'] })).status).to.equal(401);
    const answers = await Promise.all(Array.from({ length: GUESSES }, () => host.request('/rest/api/2/myself', { auth: ['frank', 'right'] })));
    expect(answers.map((a) => a.status)).to.deep.equal(Array.from({ length: GUESSES }, () => 200));
    expect((await host.runtime.loginManager.getLoginInfo('frank')).currentFailedLoginCount).to.equal(0);
  });
});
