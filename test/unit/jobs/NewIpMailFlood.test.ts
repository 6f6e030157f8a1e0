import { expect } from 'chai';
import { MAX_IPS_PER_MAIL, NEW_IP_MAIL_INTERVAL_MS } from '../../../plugin/service/NewIpDetector';
import { DAY, startMaintenance } from './support';

type Fixture = Awaited<ReturnType<typeof startMaintenance>>;

// Attack review of 2026-12-04: whoever held a token sent its owner one mail per new address —
// 149 mails in a minute from one IPv6 /64 (50 addresses a drain, an address pushed out of the 50
// known ones counting as new again), burying the alert that mattered and filling the outbox
// table. Now one mail names a token's new IPs, and a node mails about a token once an hour.
describe('NewIpDetector (mail flood)', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startMaintenance();
    f.host.users.addUser({ name: 'alice', key: 'alice', email: 'alice@example.com' });
  });
  afterEach(async () => { await f.close(); });

  /** One round: `count` fresh addresses of round `round` seen, then a drain. */
  async function round(tokenId: number, round: number, count: number): Promise<void> {
    for (let i = 1; i <= count; i++) f.maintenance.newIps.observe(tokenId, `2001:db8:${round}::${i.toString(16)}`, f.host.clock.now());
    await f.maintenance.newIps.drain();
  }

  it('should name every new IP of one drain in one mail, at once', async () => {
    const token = await f.insert('alice', 30 * DAY, 'Deploy');
    f.maintenance.newIps.observe(token.id, '10.0.0.1', f.host.clock.now());
    await f.maintenance.newIps.drain();
    for (const ip of ['10.0.0.2', '10.0.0.3', '10.0.0.4']) f.maintenance.newIps.observe(token.id, ip, f.host.clock.now());
    await f.maintenance.newIps.drain();
    expect(f.host.mail.sent).to.have.length(1);
    expect(f.host.mail.sent[0].subject).to.equal('Your API token "Deploy" was used from 3 new IP addresses');
    for (const ip of ['10.0.0.2', '10.0.0.3', '10.0.0.4']) expect(f.host.mail.sent[0].text).to.include(ip);
  });

  it('should send at most one mail an hour about a token, the IPs of the hour together in the next one', async () => {
    const token = await f.insert('alice', 30 * DAY, 'Deploy');
    await round(token.id, 0, 50); // the first IP is the owner's own first use: no mail for it
    for (let r = 1; r <= 3; r++) await round(token.id, r, 50);
    expect(f.host.mail.sent, 'one mail for 199 new addresses within the hour').to.have.length(1);
    expect(f.host.mail.sent[0].subject).to.include('49 new IP addresses');

    f.host.clock.advance(NEW_IP_MAIL_INTERVAL_MS - 1);
    await f.maintenance.newIps.drain();
    expect(f.host.mail.sent).to.have.length(1);
    f.host.clock.advance(1);
    await f.maintenance.newIps.drain();
    expect(f.host.mail.sent).to.have.length(2);
    const digest = f.host.mail.sent[1];
    expect(digest.subject).to.include('150 new IP addresses');
    expect(digest.text).to.include('2001:db8:1::1,').and.include(`… and ${150 - MAX_IPS_PER_MAIL} more.`);
    expect(digest.text).not.to.include('2001:db8:3::');

    await f.maintenance.newIps.drain();
    expect(f.host.mail.sent, 'nothing owed any more').to.have.length(2);
  });

  it('should keep the hour per token: another token\'s first new IP is mailed at once', async () => {
    const busy = await f.insert('alice', 30 * DAY, 'Busy');
    const quiet = await f.insert('alice', 30 * DAY, 'Quiet');
    await round(busy.id, 0, 2);
    await round(busy.id, 1, 5);
    f.maintenance.newIps.observe(quiet.id, '10.0.0.1', f.host.clock.now());
    await f.maintenance.newIps.drain();
    f.maintenance.newIps.observe(quiet.id, '10.0.0.2', f.host.clock.now());
    await f.maintenance.newIps.drain();
    expect(f.host.mail.sent.map((m) => m.subject)).to.deep.equal([
      'Your API token "Busy" was used from a new IP address',
      'Your API token "Quiet" was used from a new IP address',
    ]);
  });

  it('should keep an owed mail while the outbox is down and send it once it is back, still once', async () => {
    const token = await f.insert('alice', 30 * DAY, 'Deploy');
    await round(token.id, 0, 1);
    f.host.mail.available = false;
    await round(token.id, 1, 3);
    await round(token.id, 2, 3);
    expect(f.host.mail.sent).to.have.length(0);
    f.host.mail.available = true;
    await f.maintenance.newIps.drain();
    expect(f.host.mail.sent).to.have.length(1);
    expect(f.host.mail.sent[0].subject).to.include('6 new IP addresses');
    await f.maintenance.newIps.drain();
    expect(f.host.mail.sent).to.have.length(1);
  });
});
