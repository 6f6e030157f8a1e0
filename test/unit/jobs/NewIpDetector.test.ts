import { expect } from 'chai';
import { DAY, startMaintenance } from './support';

type Fixture = Awaited<ReturnType<typeof startMaintenance>>;

describe('NewIpDetector', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startMaintenance();
    f.host.users.addUser({ name: 'alice', key: 'alice', email: 'alice@example.com' });
  });
  afterEach(async () => { await f.close(); });

  const knownIps = async (id: number) => JSON.parse((await f.tokens.get(id))!.knownIps ?? '[]') as string[];

  it('should record the first IP a token is used from without a mail', async () => {
    const token = await f.insert('alice', 30 * DAY);
    f.maintenance.newIps.observe(token.id, '10.0.0.1', f.host.clock.now());
    await f.maintenance.newIps.drain();
    expect(f.host.mail.sent).to.have.length(0);
    expect(await knownIps(token.id)).to.deep.equal(['10.0.0.1']);
  });

  it('should mail the owner once about a new IP', async () => {
    const token = await f.insert('alice', 30 * DAY, 'Deploy');
    const detector = f.maintenance.newIps;
    detector.observe(token.id, '10.0.0.1', f.host.clock.now());
    await detector.drain();
    for (let i = 0; i < 3; i++) detector.observe(token.id, '10.0.0.2', f.host.clock.now());
    await detector.drain();
    detector.observe(token.id, '10.0.0.2', f.host.clock.now());
    detector.observe(token.id, '10.0.0.1', f.host.clock.now());
    await detector.drain();
    expect(f.host.mail.sent).to.have.length(1);
    expect(f.host.mail.sent[0].to).to.equal('alice@example.com');
    expect(f.host.mail.sent[0].text).to.include('10.0.0.2').and.include(String(token.id));
    expect(await knownIps(token.id)).to.deep.equal(['10.0.0.1', '10.0.0.2']);
    expect(detector.pendingTokens).to.equal(0);
  });

  // Attack review of 2026-12-03 (round D): the IP was recorded first, so a mail that could not be
  // queued then was never sent — the next drain found the IP known.
  it('should send a new-IP mail at a later drain when it could not be queued', async () => {
    const token = await f.insert('alice', 30 * DAY, 'Deploy');
    const detector = f.maintenance.newIps;
    detector.observe(token.id, '10.0.0.1', f.host.clock.now());
    await detector.drain();
    f.host.mail.available = false;
    detector.observe(token.id, '10.0.0.9', f.host.clock.now());
    await detector.drain();
    expect(await knownIps(token.id)).to.deep.equal(['10.0.0.1', '10.0.0.9']);
    expect(f.host.mail.sent).to.have.length(0);
    await detector.drain();
    f.host.mail.available = true;
    await detector.drain();
    expect(f.host.mail.sent).to.have.length(1);
    expect(f.host.mail.sent[0].text).to.include('10.0.0.9');
    await detector.drain();
    expect(f.host.mail.sent, 'once').to.have.length(1);
  });

  it('should queue nothing for an IP already known in memory', async () => {
    const token = await f.insert('alice', 30 * DAY);
    f.maintenance.newIps.observe(token.id, '10.0.0.1', 1);
    await f.maintenance.newIps.drain();
    f.maintenance.newIps.observe(token.id, '10.0.0.1', 2);
    expect(f.maintenance.newIps.pendingTokens).to.equal(0);
  });

  it('should queue nothing for an IP its row listed when the credential was read, for more tokens than it tracks', () => {
    const detector = f.maintenance.newIps;
    // 150,000 tokens: more than this node remembers (100,000) and can queue (10,000) by itself.
    for (let id = 1; id <= 150_000; id++) detector.observe(id, '10.0.0.1', 1, '["10.0.0.7","10.0.0.1"]');
    expect(detector.pendingTokens).to.equal(0);
    detector.observe(150_001, '10.0.0.2', 1, '["10.0.0.1"]');
    detector.observe(150_002, '10.0.0.1', 1, null);
    detector.observe(150_003, '10.0.0.1', 1, '["10.0.0.10"]');
    expect(detector.pendingTokens).to.equal(3);
  });

  it('should send one mail when two nodes see the same new IP', async () => {
    const token = await f.insert('alice', 30 * DAY);
    const other = f.node('node-2');
    f.maintenance.newIps.observe(token.id, '10.0.0.1', 1);
    await f.maintenance.newIps.drain();
    f.maintenance.newIps.observe(token.id, '10.0.0.9', 2);
    other.maintenance.newIps.observe(token.id, '10.0.0.9', 2);
    await Promise.all([f.maintenance.newIps.drain(), other.maintenance.newIps.drain()]);
    expect(f.host.mail.sent).to.have.length(1);
    await other.close();
  });

  it('should seed what it knows from KNOWN_IPS, so a restarted node sends no mail for old IPs', async () => {
    const token = await f.insert('alice', 30 * DAY);
    f.maintenance.newIps.observe(token.id, '10.0.0.1', 1);
    await f.maintenance.newIps.drain();
    f.maintenance.newIps.observe(token.id, '10.0.0.2', 2);
    await f.maintenance.newIps.drain();
    const restarted = f.node('node-1b');
    restarted.maintenance.newIps.observe(token.id, '10.0.0.2', 3);
    restarted.maintenance.newIps.observe(token.id, '10.0.0.1', 3);
    await restarted.maintenance.newIps.drain();
    expect(f.host.mail.sent).to.have.length(1);
    await restarted.close();
  });

  it('should record but not mail when notifyOnNewIp is off', async () => {
    await f.host.settings.put('settings.notifyOnNewIp', 'false');
    const token = await f.insert('alice', 30 * DAY);
    f.maintenance.newIps.observe(token.id, '10.0.0.1', 1);
    f.maintenance.newIps.observe(token.id, '10.0.0.2', 1);
    await f.maintenance.newIps.drain();
    expect(f.host.mail.sent).to.have.length(0);
    expect(await knownIps(token.id)).to.deep.equal(['10.0.0.1', '10.0.0.2']);
  });

  it('should drain what is pending when the plugin deactivates', async () => {
    const token = await f.insert('alice', 30 * DAY);
    f.maintenance.newIps.observe(token.id, '10.0.0.1', 1);
    await f.maintenance.close();
    expect(await knownIps(token.id)).to.deep.equal(['10.0.0.1']);
  });

  it('should keep observations for the next drain when the database is down', async () => {
    const token = await f.insert('alice', 30 * DAY);
    f.maintenance.newIps.observe(token.id, '10.0.0.1', 1);
    f.host.ao.available = false;
    await f.maintenance.newIps.drain();
    expect(f.maintenance.newIps.pendingTokens).to.equal(1);
    f.host.ao.available = true;
    await f.maintenance.newIps.drain();
    expect(await knownIps(token.id)).to.deep.equal(['10.0.0.1']);
  });
});
