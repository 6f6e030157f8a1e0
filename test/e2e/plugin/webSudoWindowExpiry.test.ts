// The websudo window of the REST calls is the host's: it ends after 10 minutes of the host clock
// without administrative activity, and each administrative call that runs extends it, as an
// administration page does.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { sessionOf } from './support/adminCalls';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

const MINUTE = 60_000;

forEachDatabase('the websudo window of administrative calls', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  afterEach(() => e2e.host.clock.setOffset(0));
  after(() => stopAndCheckLeaks(e2e));

  const readSettings = (cookie: string) => e2e.req(`${API}/admin/settings`, { cookie });

  it('should end the window after 10 idle minutes of the host clock', async () => {
    const session = await sessionOf(e2e, 'admin');
    const { cookie } = session;
    await e2e.host.enterWebSudo(cookie, 'admin');
    await e2e.host.clock.advance(11 * MINUTE);
    expectError(await readSettings(cookie), 'WEBSUDO_REQUIRED', 'after 11 idle minutes');
  });

  it('should extend the window with every administrative call that runs', async () => {
    const session = await sessionOf(e2e, 'admin');
    const { cookie } = session;
    await e2e.host.enterWebSudo(cookie, 'admin');
    await e2e.host.clock.advance(8 * MINUTE);
    expect((await readSettings(cookie)).status, '8 minutes after the password').to.equal(200);
    await e2e.host.clock.advance(8 * MINUTE);
    expect((await readSettings(cookie)).status, '16 minutes after the password, 8 after the last call').to.equal(200);
    await e2e.host.clock.advance(8 * MINUTE);
    const change = await e2e.req(`${API}/admin/settings`, { ...session, method: 'PUT', body: { maxTokensPerUser: 90 } });
    expect(change.status, '8 minutes after the last call').to.equal(200);
    await e2e.host.clock.advance(11 * MINUTE);
    expectError(await readSettings(cookie), 'WEBSUDO_REQUIRED', '11 minutes after the last call');
  });

  it('should not let a refused call or an ordinary call keep the window open', async () => {
    const session = await sessionOf(e2e, 'admin');
    const { cookie } = session;
    await e2e.host.enterWebSudo(cookie, 'admin');
    await e2e.host.clock.advance(6 * MINUTE);
    expect((await e2e.req(`${API}/user/token`, { cookie })).status, 'own tokens').to.equal(200);
    await e2e.host.clock.advance(6 * MINUTE);
    expectError(await readSettings(cookie), 'WEBSUDO_REQUIRED', '12 minutes after the password');
  });

  it('should not keep a window open for longer when the host clock is moved back', async () => {
    // The password was entered while the clock was a day ahead; the clock is then set right. The
    // window's last activity now lies in the future: counted as a live window, it stayed open for a
    // day and ten minutes of idle time (any administrative call extending it further).
    const session = await sessionOf(e2e, 'admin');
    const { cookie } = session;
    await e2e.host.clock.setOffset(24 * 60 * MINUTE);
    await e2e.host.enterWebSudo(cookie, 'admin');
    expect((await readSettings(cookie)).status, 'at once').to.equal(200);
    await e2e.host.clock.setOffset(0);
    await e2e.host.clock.advance(11 * MINUTE);
    expectError(await readSettings(cookie), 'WEBSUDO_REQUIRED', 'clock set back a day, then 11 idle minutes');
  });
});
