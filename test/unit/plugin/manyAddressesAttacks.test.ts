// Attack review 24, "one attacker, many addresses": what per-client bounds buy someone who holds
// a whole IPv6 /48 (65,536 /64s, free from tunnel brokers) rather than one /64.
import { expect } from 'chai';
import { webClientKey } from '../../../host-sim/auth/WebLoginThrottle';
import { ConfigError } from '../../../host-sim/config';
import { canonicalIp, clientIpOf, trustedProxiesOf } from '../../../host-sim/web/requestContext';
import type { Token } from '../../../plugin/ao/Token';
import { createIpAllowlist, validateIpEntries } from '../../../plugin/restrictions';
import { clientKey, clientNetworks } from '../../../plugin/service/clientKey';
import type { Actor } from '../../../plugin/service/Actor';
import { FailedAttemptThrottle } from '../../../plugin/service/FailedAttemptThrottle';
import { IssuedSecrets } from '../../../plugin/service/IssuedSecrets';
import { TokenUseAuditSampler } from '../../../plugin/service/TokenUseAuditSampler';
import { createCapturingLogger, createFakeHost, FakeClock, type FakeHost } from '../../support/spi-fakes';
import { insertToken } from './support/storedToken';

/** The n-th /64 of the attacker's /48, any address in it. */
const slash64 = (n: number, host = 1): string => `2001:db8:4a:${n.toString(16)}::${host.toString(16)}`;

describe('Many addresses against per-client bounds', () => {
  it('should write a bounded number of THROTTLED events for one /48 however many of its /64s go over their own limit', () => {
    const clock = new FakeClock(0);
    const t = new FailedAttemptThrottle(clock, 3);
    let events = 0;
    // Four failures from each of 1,000 /64s: every one goes over its own limit once.
    for (let n = 0; n < 1000; n++) {
      for (let i = 0; i < 4; i++) {
        const d = t.recordFailure(slash64(n, i + 1), null);
        if (d.blocked && d.first) events++;
      }
    }
    expect(events, 'attempts audited as THROTTLED in one minute').to.be.at.most(3);
    clock.advance(60_000);
    const next = [0, 1, 2, 3].map((i) => t.recordFailure(slash64(5000, i + 1), null));
    expect(next.filter((d) => d.blocked && d.first), 'audited again in the next minute').to.have.length(1);
  });

  it('should keep a /48 blocked while fresh /64s of it fill the table, three keys a failure', () => {
    const clock = new FakeClock(0);
    const t = new FailedAttemptThrottle(clock, 3);
    for (let n = 0; n < 120_000; n++) t.recordFailure(`2001:db8:4c:${(n % 65_536).toString(16)}::1`, `F${String(n).padStart(11, '0')}`);
    expect(t.trackedKeys()).to.be.at.most(100_000);
    clock.advance(1000);
    expect(t.recordFailure('2001:db8:4c:ffff::1', null).blocked, 'its /48 still counted').to.equal(true);
    expect(t.recordFailure('2001:db8:4d::1', null).blocked, 'another /48').to.equal(false);
  });

  it('should keep one IPv4 client\'s THROTTLED event and one per guessed public id', () => {
    const t = new FailedAttemptThrottle(new FakeClock(0), 3);
    const firsts = [0, 1, 2, 3, 4].map(() => t.recordFailure('198.51.100.7', null)).map((d) => d.blocked && d.first);
    expect(firsts).to.deep.equal([false, false, false, true, false]);
    const byId = [0, 1, 2, 3].map((i) => t.recordFailure(`203.0.113.${i}`, 'GUESSEDPUBID')).map((d) => d.blocked && d.first);
    expect(byId).to.deep.equal([false, false, false, true]);
  });

  it('should audit a bounded number of `token used` events per token and /48 an hour however many /64s use it', () => {
    const s = new TokenUseAuditSampler();
    let audited = 0;
    for (let n = 0; n < 1000; n++) if (s.shouldAudit('sampled', 1, slash64(n), 1_000 + n)) audited++;
    expect(audited, 'uses of one token from 1,000 /64s of one /48 in an hour').to.be.at.most(4);
    expect(s.shouldAudit('sampled', 1, '2001:db8:4b::1', 2_000), 'another /48').to.equal(true);
    expect(s.shouldAudit('sampled', 2, slash64(999), 2_000), 'another token').to.equal(true);
    expect(s.shouldAudit('sampled', 1, slash64(0), 1_000 + 3_600_000), 'an hour later').to.equal(true);
    expect(s.size, 'pairs remembered').to.be.at.most(20);
  });

  // `::a.b.c.d` is the IPv4-compatible IPv6 address ::a00:1 (RFC 4291 2.5.5.1), which is how Node
  // and most proxies write ::a00:1; ipaddr.js 2.5 reads that text as IPv4-mapped (::ffff:a.b.c.d).
  describe('an IPv4-compatible IPv6 spelling', () => {
    it('should not pass an IPv4 allowlist entry as the IPv4 address it embeds', () => {
      const allowlist = createIpAllowlist(['10.0.0.0/8']);
      expect(allowlist.contains('::10.0.0.1'), 'the IPv6 address ::a00:1').to.equal(false);
      expect(allowlist.contains('::a00:1')).to.equal(false);
      expect(allowlist.contains('::ffff:10.0.0.1'), 'IPv4-mapped: the IPv4 client').to.equal(true);
      expect(createIpAllowlist(['::a00:0/104']).contains('::10.0.0.1'), 'an entry of the IPv6 range').to.equal(true);
      expect(createIpAllowlist(['::10.0.0.0/104']).contains('10.0.0.1'), 'an IPv4-compatible entry is no IPv4 range').to.equal(false);
      expect(validateIpEntries(['::10.0.0.0/104']).ok).to.equal(true);
      for (const odd of ['::ffff:0x0a.0.0.1', '::ffff:010.0.0.1', '::ffff:10.0.0.01']) {
        expect(allowlist.contains(odd), `${odd}: no dotted-decimal tail, no address`).to.equal(false);
        expect(canonicalIp(odd), odd).to.equal(null);
      }
      expect(validateIpEntries(['::ffff:010.0.0.0/104']).ok, 'nor an entry').to.equal(false);
    });

    it('should be one client with its hexadecimal spelling, not the IPv4 client, to every count', () => {
      expect(clientKey('::10.0.0.1')).to.equal(clientKey('::a00:1'));
      expect(clientKey('::10.0.0.1')).to.not.equal('10.0.0.1');
      expect(clientNetworks('::10.0.0.1').map((n) => n.key)).to.deep.equal(clientNetworks('::a00:1').map((n) => n.key));
      expect(webClientKey('::10.0.0.1')).to.equal(webClientKey('::a00:1'));
      expect(webClientKey('::10.0.0.1')).to.not.equal('10.0.0.1');
    });

    it('should be named by the host as the IPv6 address it is, from the socket or a proxy\'s X-Forwarded-For', () => {
      expect(canonicalIp('::10.0.0.1')).to.equal('::a00:1');
      expect(canonicalIp('::ffff:10.0.0.1')).to.equal('10.0.0.1');
      const proxy = trustedProxiesOf('192.0.2.1');
      expect(clientIpOf('::10.0.0.1', undefined, proxy), 'as Node writes the socket peer ::a00:1').to.equal('::a00:1');
      expect(clientIpOf('192.0.2.1', '::10.0.0.1', proxy)).to.equal('::a00:1');
      expect(clientIpOf('192.0.2.1', '[::10.0.0.1]:443', proxy)).to.equal('::a00:1');
      expect(trustedProxiesOf('10.0.0.0/8').has('::10.0.0.1'), 'no trusted IPv4 proxy either').to.equal(false);
    });

    it('should stop the start as a trusted proxy: read as 10.0.0.5 before, its clients would take the proxy\'s address now', () => {
      expect(() => trustedProxiesOf('::10.0.0.5')).to.throw(ConfigError);
      expect(() => trustedProxiesOf('10.0.0.1, ::10.0.0.0/104')).to.throw(ConfigError);
      expect(trustedProxiesOf('::ffff:10.0.0.5, ::a00:5, 2001:db8::10.0.0.5').canonical, 'mapped, in hex, or another IPv6 network\'s').to.equal('10.0.0.5,2001:db8::a00:5,::a00:5');
    });
  });

  describe('mail about tokens created through a token', () => {
    let host: FakeHost;
    let token: Token;
    beforeEach(async () => {
      host = await createFakeHost();
      token = await insertToken(host);
    });
    afterEach(async () => { await host.close(); });

    it('should mail the owner a bounded number of times an hour however many /64s of one /48 the creations come from', async () => {
      let mails = 0;
      const clock = new FakeClock();
      const secrets = new IssuedSecrets({
        store: { get: async () => null }, logger: createCapturingLogger().logger, clock,
        mailer: { notify: async () => { mails++; return 'SENT' as const; } },
      });
      const through = (ip: string): Actor => ({
        user: { key: 'alice', name: 'alice', displayName: 'Alice', email: 'a@example.com', active: true } as Actor['user'],
        viaToken: { id: 7, publicId: '', scope: 'READ_WRITE', restricted: false, validUntil: Number.MAX_SAFE_INTEGER } as unknown as Actor['viaToken'],
        ip,
      });
      const at = clock.now();
      for (let n = 0; n < 1000; n++) secrets.notifyOwner(through(slash64(n)), token, at + n * 1000);
      await new Promise((resolve) => setImmediate(resolve));
      expect(mails, 'creations through one token from 1,000 /64s of one /48 in an hour').to.be.at.most(3);
      const before = mails;
      secrets.notifyOwner(through('2001:db8:4b::1'), token, at + 1_000_000);
      secrets.notifyOwner(through('198.51.100.7'), token, at + 1_000_001);
      await new Promise((resolve) => setImmediate(resolve));
      expect(mails - before, 'another /48 and an IPv4 client').to.equal(2);
    });
  });
});
