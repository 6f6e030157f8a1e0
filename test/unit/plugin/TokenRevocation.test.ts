// The unauthenticated revocation API must not be an oracle (issue 12 B): whatever the strings —
// a valid token, an expired one, a wrong secret, an unknown or malformed string — the request
// runs the same database statements and publishes the same invalidation; audit and mail come
// after the answer.
import { expect } from 'chai';
import { AoTokenStore } from '../../../plugin/ao/AoTokenStore';
import { TokenMailComposer } from '../../../plugin/mail/TokenMailComposer';
import { TokenMailer } from '../../../plugin/mail/TokenMailer';
import { FailedAttemptThrottle } from '../../../plugin/service/FailedAttemptThrottle';
import { InvalidationBus } from '../../../plugin/service/InvalidationBus';
import { TokenRevocation } from '../../../plugin/service/TokenRevocation';
import { formatToken, generateStringId, generateToken } from '../../../plugin/token/TokenFormat';
import { hashSecret, newSalt } from '../../../plugin/token/SecretHasher';
import { createFakeHost, type FakeHost } from '../../support/spi-fakes';

describe('TokenRevocation', () => {
  let host: FakeHost;
  let store: AoTokenStore;
  let revocation: TokenRevocation;
  let ownerKey: string;

  beforeEach(async () => {
    host = await createFakeHost();
    store = new AoTokenStore(host.ao);
    ownerKey = host.users.addUser({ name: 'alice' }).key;
    const composer = new TokenMailComposer(host.services.i18nResolver, 'jira', 'http://jira.example.com');
    revocation = new TokenRevocation({
      store, bus: new InvalidationBus(host.messaging, host.logger), audit: host.audit, clock: host.clock, logger: host.logger,
      mailer: new TokenMailer(host.users, host.mail, composer, host.logger), throttle: new FailedAttemptThrottle(host.clock, 3),
    });
  });
  afterEach(async () => { await host.close(); });

  async function insert(validUntil = host.clock.now() + 86_400_000): Promise<string> {
    const g = generateToken();
    const salt = newSalt();
    const r = await store.insert({ publicId: g.publicId, stringId: generateStringId(), userKey: ownerKey, description: 'leaked', created: 1, createdBy: ownerKey,
      validUntil, scope: 2, salt, hash: hashSecret(salt, g.publicId, g.secret), restrictions: null }, 100);
    if (!r.ok) throw new Error('insert');
    return g.plainText;
  }

  /** What one request did: statements, invalidations sent, and whether the tokens still exist. */
  async function observe(strings: string[]) {
    const [reads, writes, sent] = [host.ao.statements.reads, host.ao.statements.writes, host.messaging.sent.length];
    await revocation.revoke(strings, '192.0.2.1');
    return { reads: host.ao.statements.reads - reads, writes: host.ao.statements.writes - writes, sent: host.messaging.sent.length - sent };
  }

  it('should run the same statements and publish the same invalidation for any kind of string', async () => {
    const valid = await insert();
    const expired = await insert(host.clock.now() - 1);
    const other = await insert();
    const wrongSecret = formatToken(other.slice(7, 19), 'A'.repeat(28));
    const unknown = formatToken('ZZZZZZZZZZZZ', 'B'.repeat(28));
    const work = [];
    // The checksum's last character changed (never to itself: 1 in 62 tokens ends in 'x').
    const badChecksum = `${other.slice(0, -1)}${other.endsWith('x') ? 'y' : 'x'}`;
    for (const strings of [[valid], [expired], [wrongSecret], [unknown], ['hello'], [badChecksum]]) work.push(await observe(strings));
    for (const w of work) expect(w, JSON.stringify(work)).to.deep.equal(work[0]);
    expect(await store.findCredential(valid.slice(7, 19))).to.equal(null);
    expect(await store.findCredential(expired.slice(7, 19))).to.equal(null);
    expect(await store.findCredential(other.slice(7, 19))).to.not.equal(null);
  });

  it('should audit and mail only after the answer, once per revoked token', async () => {
    const a = await insert();
    const b = await insert();
    await revocation.revoke([a, b, a, 'junk'], '192.0.2.9');
    expect(host.audit.actions()).to.deep.equal([]);
    expect(host.mail.sent).to.have.length(0);
    await revocation.close();
    expect(host.audit.actions()).to.deep.equal(['token.revoked', 'token.revoked']);
    expect(host.audit.events.every((e) => e.author === null && e.sourceIp === '192.0.2.9')).to.equal(true);
    expect(host.mail.sent.map((m) => m.to)).to.deep.equal(['alice@example.com', 'alice@example.com']);
    expect(host.mail.sent[0].text).to.include('192.0.2.9').and.not.include('apitokenauth.rotate');
    expect(JSON.stringify([host.audit.events, host.mail.sent])).to.not.include(a.slice(20, 48));
  });

  it('should write the owner\'s mail in their language, naming the token, the time and the IP', async () => {
    const composer = new TokenMailComposer(host.services.i18nResolver, 'jira', 'http://jira.example.com');
    const owner = { key: 'k', name: 'berta', displayName: 'Berta', email: 'berta@example.com', active: true, locale: 'de_DE', timeZone: 'Europe/Berlin' };
    const credential = await store.findCredential((await insert()).slice(7, 19));
    const token = (await store.get(credential!.tokenId))!;
    const de = composer.compose(owner, token, { kind: 'revoked', ip: '203.0.113.5', at: Date.UTC(2026, 0, 22, 12, 0) });
    expect(de.subject).to.equal(`Ihr API-Token "${token.description}" wurde widerrufen`);
    expect(de.text).to.include('203.0.113.5').and.include(`(ID ${token.id})`).and.include('22. Januar 2026');
    const en = composer.compose({ ...owner, locale: 'en_US' }, token, { kind: 'revoked', ip: '203.0.113.5', at: 0 });
    expect(en.subject).to.equal(`Your API token "${token.description}" was revoked`);
  });

  it('should count every request of a client IP and refuse beyond the limit with Retry-After', () => {
    for (let i = 0; i < 3; i++) revocation.admit('192.0.2.7');
    let refused: unknown;
    try { revocation.admit('192.0.2.7'); } catch (err) { refused = err; }
    expect(refused).to.deep.include({ code: 'THROTTLED' });
    expect(Number((refused as { headers: Record<string, string> }).headers['Retry-After'])).to.be.within(1, 60);
    expect(() => revocation.admit('192.0.2.8')).to.not.throw();
    host.clock.advance(60_000);
    expect(() => revocation.admit('192.0.2.7')).to.not.throw();
  });
});
