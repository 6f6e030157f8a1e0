import { expect } from 'chai';
import path from 'node:path';
import type { HostUser } from '../../../host-sim/spi';
import type { Token } from '../../../plugin/ao/Token';
import { TokenMailComposer } from '../../../plugin/mail/TokenMailComposer';
import { FakeI18nResolver, REPO_ROOT } from '../../support/spi-fakes';

const i18n = new FakeI18nResolver(path.join(REPO_ROOT, 'i18n', 'apitokenauth'));

const owner = (locale: string, timeZone = 'UTC'): HostUser => ({
  key: 'JIRAUSER10100', name: 'alice', displayName: 'Alice <A>', email: 'alice@example.com', active: true, locale, timeZone,
});

const token = (overrides: Partial<Token> = {}): Token => ({
  id: 42, stringId: 'asp_x', publicId: 'pub', userKey: 'JIRAUSER10100', description: 'CI <script>alert(1)</script> & co',
  created: 0, createdBy: 'JIRAUSER10100', validUntil: Date.UTC(2026, 0, 22, 23, 30), scope: 2, lastAccessed: 0, lastIp: null,
  useCount: 0, restrictions: null, notificationState: null, knownIps: null, version: 1, sudo: false, issuedVia: null, issuedTo: null, ...overrides,
});

describe('TokenMailComposer', () => {
  const jira = new TokenMailComposer(i18n, 'jira', 'http://localhost:2990/jira');

  it('should write in the owner\'s language', () => {
    const en = jira.compose(owner('en_US'), token(), { kind: 'expiring', days: 7 });
    const de = jira.compose(owner('de_DE'), token(), { kind: 'expiring', days: 7 });
    expect(en.subject).to.match(/^Your API token/);
    expect(de.subject).to.match(/^Ihr API-Token/);
    expect(de.text).to.include('Hallo');
    expect(jira.compose(owner('de_DE'), token(), { kind: 'expired' }).subject).to.include('abgelaufen');
    expect(jira.compose(owner('de_DE'), token(), { kind: 'new-ip', ips: [{ ip: '10.1.2.3', seenAt: 0 }], more: 0 }).subject).to.include('neuen IP-Adresse');
  });

  it('should list several new IPs in one mail, each with its first use, and count those beyond the list, in English and German', () => {
    const ips = [{ ip: '10.1.2.3', seenAt: Date.UTC(2026, 0, 2, 10, 0) }, { ip: '2001:db8::7', seenAt: Date.UTC(2026, 0, 2, 10, 5) }];
    const en = jira.compose(owner('en_US'), token(), { kind: 'new-ip', ips, more: 3 });
    expect(en.subject).to.equal('Your API token "CI <script>alert(1)</script> & co" was used from 5 new IP addresses');
    expect(en.text).to.include('10.1.2.3, first on January 2, 2026').and.include('2001:db8::7, first on').and.include('… and 3 more.');
    expect(en.html).not.to.include('<script>');
    const de = jira.compose(owner('de_DE', 'Europe/Berlin'), token(), { kind: 'new-ip', ips, more: 0 });
    expect(de.subject).to.include('von 2 neuen IP-Adressen');
    expect(de.text).to.include('10.1.2.3, zuerst am 2. Januar 2026').and.not.include('weitere');
  });

  it('should keep a display name on the greeting line, whatever line breaks and marks it holds', () => {
    const forged = { ...owner('en_US'), displayName: 'Trent\r\n\r\nThis alert is a false positive.\u2028\u202e\u0085 Thanks' };
    const mail = jira.compose(forged, token(), { kind: 'expired' });
    expect(mail.text.split('\n')[0]).to.equal('Hello Trent This alert is a false positive. Thanks,');
    expect(jira.compose({ ...owner('en_US'), displayName: '\r\n' }, token(), { kind: 'expired' }).text.split('\n')[0]).to.equal('Hello alice,');
  });

  it('should name the token by description and id and give the expiry in the owner\'s time zone', () => {
    const berlin = jira.compose(owner('de_DE', 'Europe/Berlin'), token(), { kind: 'expiring', days: 1 });
    expect(berlin.to).to.equal('alice@example.com');
    expect(berlin.text).to.include('CI <script>alert(1)</script> & co').and.include('42');
    expect(berlin.text).to.include('23. Januar 2026').and.include('Europe/Berlin');
    const utc = jira.compose(owner('en_US'), token(), { kind: 'expiring', days: 1 });
    expect(utc.text).to.include('January 22, 2026');
  });

  it('should escape every value in the HTML part', () => {
    const mail = jira.compose(owner('en_US'), token(), { kind: 'new-ip', ips: [{ ip: '10.1.2.3', seenAt: 0 }], more: 0 });
    expect(mail.html).to.not.include('<script>');
    expect(mail.html).to.include('CI &lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(mail.html).to.include('Alice &lt;A&gt;');
  });

  it('should link to the page with the token panel and to rotating the token in Jira and Confluence (its Settings tab)', () => {
    const mail = jira.compose(owner('en_US'), token(), { kind: 'expiring', days: 7 });
    expect(mail.text).to.include('http://localhost:2990/jira/secure/ViewProfile.jspa\n');
    expect(mail.text).to.include('http://localhost:2990/jira/secure/ViewProfile.jspa?apitokenauth.rotate=42');
    expect(mail.html).to.include('href="http://localhost:2990/jira/secure/ViewProfile.jspa?apitokenauth.rotate=42');
    const confluence = new TokenMailComposer(i18n, 'confluence', 'http://localhost:8090/confluence');
    const expired = confluence.compose(owner('en_US'), token(), { kind: 'expired' }).text;
    expect(expired).to.include('http://localhost:8090/confluence/users/viewmysettings.action\n');
    expect(expired).to.include('http://localhost:8090/confluence/users/viewmysettings.action?apitokenauth.rotate=42');
    expect(expired).to.not.include('viewmyprofile');
  });

  it('should link to the regenerate dialog of the token, with its row as anchor, in the expiry, expired and new-IP mails', () => {
    const link = 'http://localhost:2990/jira/secure/ViewProfile.jspa?apitokenauth.rotate=42#apitokenauth-token-42';
    for (const notice of [{ kind: 'expiring', days: 7 }, { kind: 'expired' }, { kind: 'new-ip', ips: [{ ip: '10.1.2.3', seenAt: 0 }], more: 0 }] as const) {
      const mail = jira.compose(owner('en_US'), token(), notice);
      expect(mail.text, notice.kind).to.include(`Regenerate the token: ${link}`);
      expect(mail.html, notice.kind).to.include(`href="${link}"`);
    }
    expect(jira.compose(owner('en_US'), token(), { kind: 'revoked', ip: '10.1.2.3', at: 0 }).text).to.not.include('apitokenauth.rotate');
  });

  it('should name the issuing token and the IP of a token created or regenerated through a token, in English and German', () => {
    const created = jira.compose(owner('en_US'), token(), { kind: 'issued-through-token', regenerated: false, viaTokenId: 7, ip: '203.0.113.9', at: 0 });
    expect(created.subject).to.equal('An API token "CI <script>alert(1)</script> & co" was created for your account through another API token');
    expect(created.text).to.include('(id 42)').and.include('with id 7').and.include('203.0.113.9').and.include('token with id 7 may have leaked');
    expect(created.text, 'delete it, not regenerate it').to.not.include('apitokenauth.rotate');
    expect(created.html).to.not.include('<script>');
    const regenerated = jira.compose(owner('de_DE'), token(), { kind: 'issued-through-token', regenerated: true, viaTokenId: 7, ip: '203.0.113.9', at: 0 });
    expect(regenerated.subject).to.match(/^Ihr API-Token .* wurde über ein API-Token erneuert$/);
    expect(regenerated.text).to.include('ID 7').and.include('203.0.113.9');
  });

  it('should name the user, not their token id or address, when another user issued a token for the owner (with a password, a session or their token), in English and German', () => {
    const created = jira.compose(owner('en_US'), token(), { kind: 'issued-on-behalf', regenerated: false, byName: 'Token\nManager', at: 0 });
    expect(created.subject).to.equal('An API token "CI <script>alert(1)</script> & co" was created for your account by another user');
    expect(created.text).to.include('(id 42)').and.include('by Token Manager.').and.include('Token Manager holds its secret');
    expect(created.text, 'no rotate link').to.not.include('apitokenauth.rotate');
    expect(created.html).to.not.include('<script>');
    const regenerated = jira.compose(owner('de_DE'), token(), { kind: 'issued-on-behalf', regenerated: true, byName: 'Token Manager', at: 0 });
    expect(regenerated.subject).to.match(/^Ihr API-Token .* wurde von einem anderen Benutzer erneuert$/);
    expect(regenerated.text).to.include('ID 42').and.include('von Token Manager');
  });
});
