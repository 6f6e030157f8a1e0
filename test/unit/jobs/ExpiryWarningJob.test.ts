import { expect } from 'chai';
import { parseNotificationState } from '../../../plugin/jobs/ExpiryNotices';
import { DAY, startMaintenance } from './support';

type Fixture = Awaited<ReturnType<typeof startMaintenance>>;

describe('ExpiryWarningJob', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startMaintenance();
    f.host.users.addUser({ name: 'alice', key: 'alice', email: 'alice@example.com' });
  });
  afterEach(async () => { await f.close(); });

  const subjects = () => f.host.mail.sent.map((m) => m.subject);
  const run = () => f.maintenance.expiryJob.run();

  it('should mail the owner once at the 7-day mark even when the job runs twice', async () => {
    const token = await f.insert('alice', 30 * DAY, 'CI token');
    await run();
    expect(f.host.mail.sent).to.have.length(0);
    f.host.clock.advance(23 * DAY + 1);
    await run();
    await run();
    expect(f.host.mail.sent).to.have.length(1);
    expect(f.host.mail.sent[0].to).to.equal('alice@example.com');
    expect(subjects()[0]).to.include('CI token').and.include('7');
    const stored = await f.tokens.get(token.id);
    expect(parseNotificationState(stored!.notificationState).warned).to.deep.equal([7]);
  });

  it('should mail at the 1-day mark after the 7-day one, and once on expiry', async () => {
    await f.insert('alice', 30 * DAY, 'CI token');
    f.host.clock.advance(23 * DAY + 1);
    await run();
    f.host.clock.advance(6 * DAY);
    await run();
    await run();
    f.host.clock.advance(DAY);
    await run();
    await run();
    expect(f.host.mail.sent).to.have.length(3);
    expect(subjects()[1]).to.match(/within a day/);
    expect(subjects()[2]).to.match(/has expired/);
  });

  it('should skip the marks that had already passed when the token was created', async () => {
    await f.insert('alice', 3 * DAY, 'Short token');
    await run();
    expect(f.host.mail.sent).to.have.length(0);
    f.host.clock.advance(2 * DAY + 1);
    await run();
    expect(f.host.mail.sent).to.have.length(1);
    expect(subjects()[0]).to.match(/within a day/);
  });

  it('should mail only the nearest mark when several are due at once', async () => {
    const token = await f.insert('alice', 30 * DAY);
    f.host.clock.advance(29.5 * DAY);
    await run();
    await run();
    expect(f.host.mail.sent).to.have.length(1);
    expect(subjects()[0]).to.match(/within a day/);
    expect(parseNotificationState((await f.tokens.get(token.id))!.notificationState).warned).to.have.members([7, 1]);
  });

  it('should follow the expiryWarningDays setting', async () => {
    await f.host.settings.put('settings.expiryWarningDays', JSON.stringify([14]));
    await f.insert('alice', 30 * DAY);
    f.host.clock.advance(16 * DAY + 1);
    await run();
    f.host.clock.advance(13 * DAY);
    await run();
    expect(f.host.mail.sent).to.have.length(1);
    expect(subjects()[0]).to.include('14');
  });

  it('should skip and log owners without an e-mail address or deleted, and not retry them', async () => {
    f.host.users.addUser({ name: 'nomail', key: 'nomail', email: '' });
    f.host.users.addUser({ name: 'gone', key: 'gone' });
    await f.insert('nomail', 30 * DAY);
    await f.insert('gone', 30 * DAY);
    await f.insert(null, 30 * DAY);
    f.host.users.deleteUser('gone');
    f.host.clock.advance(23 * DAY + 1);
    const first = await run();
    const second = await run();
    expect(f.host.mail.sent).to.have.length(0);
    expect(first.examined).to.equal(2);
    expect(second.mailed).to.equal(0);
    expect(f.host.logLines.filter((l) => l.includes('Token mail skipped'))).to.have.length(2);
  });

  it('should send each notice once when two nodes run the job at the same moment', async () => {
    const other = f.node('node-2');
    for (let i = 0; i < 5; i++) await f.insert('alice', 10 * DAY);
    f.host.clock.advance(3 * DAY + 1);
    const results = await Promise.all([run(), other.maintenance.expiryJob.run()]);
    expect(f.host.mail.sent).to.have.length(5);
    expect(results[0].mailed + results[1].mailed).to.equal(5);
    await other.close();
  });
});
