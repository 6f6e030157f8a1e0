// Attack review: injection through text a user or a client chooses — token descriptions,
// restrictions, display names and e-mail addresses an administrator gives users, the Basic user
// name and the path a refused client sends, forwarded client IPs, Accept-Language, the Host header —
// into mails, audit events, log lines, the CSV export and the plugin's pages. Each test is one
// attack; a test marked FINDING fails on the code it was written against (each fixed since), the others pin a defence.
import { expect } from 'chai';
import Transport from 'winston-transport';
import { forEachDatabase } from '../../support/databases';
import { startSmtpSink, type SmtpSink } from '../../support/smtpSink';
import { curl } from './support/curl';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const PLUGIN = 'de.resolution.apitokenauth';
const SERVLET = `/plugins/servlet/${PLUGIN}`;
const REVOKE = `${API}/tokens/revoke`;
const MESSAGE = Symbol.for('message');

/** What no log line or audit value may carry raw: C0/C1 controls, DEL, line/paragraph separators, bidi marks. */
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/** Records each entry as the host's own format wrote it (the finished line, `info[MESSAGE]`). */
class FinishedLines extends Transport {
  constructor(private readonly lines: string[]) { super(); }
  override log(info: Record<string | symbol, unknown>, callback: () => void): void {
    this.lines.push(String(info[MESSAGE]));
    callback();
  }
}

interface Extra { name: string; value: string }
interface AuditEntity { action: string; summary: string; source: string; extraAttributes: Extra[]; affectedObjects: Array<{ id: string; name: string; type: string }> }
const attr = (ev: AuditEntity, name: string): string | undefined => ev.extraAttributes.find((a) => a.name === name)?.value;

forEachDatabase('Injection into mails, audit events, logs, exports and pages (attack review)', (kind) => {
  let e2e: E2eEnv;
  let sink: SmtpSink;
  const lines: string[] = [];
  let ipCounter = 0;
  const freshIp = () => `198.51.100.${++ipCounter}`;
  const from = (ip: string, headers: Record<string, string> = {}) => ({ 'X-Forwarded-For': ip, ...headers });

  before(async function () {
    this.timeout(60_000);
    sink = await startSmtpSink();
    e2e = await startE2e('jira', kind, { HOSTSIM_SYSPROPS: 'hostsim.trusted.proxies=127.0.0.1', SMTP_URL: sink.url });
    e2e.host.runtime.logger.add(new FinishedLines(lines));
  });
  after(async function () {
    this.timeout(30_000);
    await stopAndCheckLeaks(e2e);
    await sink?.close();
  });

  /** A user made by an administrator through the host's REST API (what an attacker with that right chooses). */
  const createUser = async (name: string, displayName: string, emailAddress = `${name}@example.com`): Promise<{ key: string; password: string; email: string }> => {
    const password = `${name}-pw-1`;
    const res = await e2e.as('admin', '/rest/api/2/user', { method: 'POST', body: { name, password, emailAddress, displayName } });
    expect(res.status, res.text).to.equal(201);
    return { key: res.json.key as string, password, email: emailAddress };
  };
  const tokenFor = async (auth: [string, string], body: Record<string, unknown>) => {
    const res = await e2e.req(`${API}/user/token`, { method: 'POST', auth, body });
    expect(res.status, res.text).to.equal(200);
    e2e.issued.push(res.json.plainTextToken as string);
    return res.json as { id: number; plainTextToken: string };
  };
  const sessionCookie = async (name: string, password: string): Promise<string> => {
    const login = await e2e.req('/rest/auth/1/session', { method: 'POST', body: { username: name, password } });
    expect(login.status, login.text).to.equal(200);
    return `${login.json.session.name}=${login.json.session.value}`;
  };
  /**
   * The events of `action` from `ip` (each request here comes from a fresh address), newest first,
   * polled until `count` of them are written: refusals and token uses are written in batches about
   * once a second, so an earlier test's event can still be queued when a test begins, and a count
   * taken then would let that one pass for the test's own.
   */
  const auditFrom = async (action: string, ip: string, count: number): Promise<AuditEntity[]> => {
    const ours = (events: Array<Record<string, unknown>>) => events.filter((ev) => ev.source === ip) as unknown as AuditEntity[];
    return ours(await e2e.auditEvents(action, (events) => ours(events).length >= count));
  };
  const configOf = (html: string, page: string): { raw: string; config: { user: { displayName: string; name: string } } } => {
    const match = new RegExp(`<script type="application/json" id="apitokenauth-config-${page}">([\\s\\S]*?)</script>`).exec(html);
    expect(match, 'config block').to.not.equal(null);
    return { raw: match![1], config: JSON.parse(match![1]) };
  };
  /** The raw MIME text of the one mail `address` received whose decoded subject includes `marker`. */
  const mailTo = async (address: string, marker: string) => {
    const mails = await sink.waitFor(address, 1, 15_000);
    let mail = mails.find((m) => m.subject.includes(marker));
    for (let i = 0; i < 100 && !mail; i++) {
      await new Promise((r) => setTimeout(r, 100));
      mail = sink.to(address).find((m) => m.subject.includes(marker));
    }
    expect(mail, `mail to ${address} about ${marker}`).to.not.equal(undefined);
    return mail!;
  };
  const headerBlock = (data: string) => data.slice(0, data.indexOf('\r\n\r\n'));
  /** The decoded text/plain part of a raw MIME message (quoted-printable or base64). */
  const plainPart = (data: string): string => {
    const m = /Content-Type: text\/plain[^\r\n]*\r\n(?:[^\r\n]+\r\n)*?Content-Transfer-Encoding: ([\w-]+)\r\n\r\n([\s\S]*?)\r\n--/i.exec(data);
    expect(m, 'text/plain part').to.not.equal(null);
    const body = m![2];
    if (m![1].toLowerCase() === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (m![1].toLowerCase() === 'quoted-printable') {
      const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    }
    return body;
  };

  // ---- pages ---------------------------------------------------------------------------------------

  it('should keep a hostile display name inside the Token Manager\'s configuration block and the host frame (no </script>, <!--, U+2028, quote or & escapes)', async function () {
    this.timeout(20_000);
    const hostile = `Eve </script><script>alert(1)</script><!--<script>\u2028\u2029"'&amp;<img src=x onerror=alert(2)>`;
    const eve = await createUser('eve.manager', hostile);
    expect((await e2e.as('admin', '/rest/api/2/group/user?groupname=token-managers', { method: 'POST', body: { name: 'eve.manager' } })).status).to.be.oneOf([200, 201]);
    const cookie = await sessionCookie('eve.manager', eve.password);
    const res = await e2e.req(`${SERVLET}/admin`, { cookie });
    expect(res.status, res.text.slice(0, 300)).to.equal(200);
    const { raw, config } = configOf(res.text, 'admin');
    for (const bad of ['<', '>', '&', '\u2028', '\u2029']) expect(raw.includes(bad), `raw ${JSON.stringify(bad)} in the config block`).to.equal(false);
    expect(config.user.displayName).to.equal(hostile);
    // Only the host's and the plugin's own script tags: the display name opened none.
    expect(res.text).to.not.contain('<script>alert(1)');
    expect(res.text).to.not.contain('<img src=x');
    expect(res.text).to.not.contain('<!--<script>');
    // The header's profile link shows the name as text.
    expect(res.text).to.contain('Eve &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    // The profile page (host page with the plugin's panel) likewise.
    const profile = await e2e.req('/secure/ViewProfile.jspa', { cookie });
    expect(profile.status).to.equal(200);
    const panel = configOf(profile.text, 'profile');
    expect(panel.config.user.displayName).to.equal(hostile);
    for (const bad of ['<', '>', '&', '\u2028', '\u2029']) expect(panel.raw.includes(bad)).to.equal(false);
    expect(profile.text).to.not.contain('<script>alert(1)');
    expect(profile.text).to.not.contain('<img src=x');
  });

  it('should render pages in a bundle locale whatever Accept-Language says (no header text in lang= or the config)', async () => {
    const cookie = await sessionCookie('manager', e2e.users.manager.password);
    const hostile = '"><script>alert(1)</script>, x-{0}\'{1}\';q=1, de;q=0.5';
    const res = await e2e.req(`${SERVLET}/admin`, { cookie, headers: { 'Accept-Language': hostile } });
    expect(res.status).to.equal(200);
    expect(res.text).to.match(/<html lang="de">/);
    expect(res.text).to.not.contain('<script>alert(1)');
    const { config } = configOf(res.text, 'admin');
    expect((config as unknown as { locale: string }).locale).to.equal('de');
  });

  // ---- i18n: user text is an argument, never a pattern ----------------------------------------------

  it('should show MessageFormat syntax in a description literally, in the mail and in error messages', async function () {
    this.timeout(20_000);
    const description = "{0} '{1}' '' {2,number} {0,choice,0#x|1#y}";
    const token = await e2e.createToken('carol', { tokenDescription: description });
    expect((await e2e.req(REVOKE, { method: 'POST', body: { tokens: [token.plainTextToken] }, headers: from(freshIp()) })).status).to.equal(202);
    const mail = await mailTo(e2e.users.carol.email, '{2,number}');
    expect(mail.subject).to.equal(`Your API token "${description}" was revoked`);
    expect(plainPart(mail.data)).to.contain(`Your API token "${description}" (id ${token.id}) was revoked on`);
    // An error message that repeats client text repeats it as sent.
    const res = await e2e.as('admin', `${API}/user/userKeyByEmail?email=${encodeURIComponent("'{0}'@{1}.example")}`);
    expect(res.status).to.equal(404);
    expect(res.json.errorMessage).to.contain("'{0}'@{1}.example");
  });

  // ---- mails -----------------------------------------------------------------------------------------

  it('should refuse line breaks, encoded words kept literal, and keep the Subject one header, the owner the only recipient', async function () {
    this.timeout(20_000);
    for (const bad of ['a\r\nBcc: evil@evil.example', 'a\nSubject: x', 'a\u0085b', 'a\u2028b']) {
      const res = await e2e.as('carol', `${API}/user/token`, { method: 'POST', body: { tokenDescription: bad } });
      expect(res.status, JSON.stringify(bad)).to.equal(400);
    }
    const description = '=?UTF-8?B?QmNjOiBldmlsQGV2aWwuZXhhbXBsZQ==?= =?UTF-8?Q?=E2=80=AE?= ok';
    const token = await e2e.createToken('carol', { tokenDescription: description });
    expect((await e2e.req(REVOKE, { method: 'POST', body: { tokens: [token.plainTextToken] }, headers: from(freshIp()) })).status).to.equal(202);
    const mail = await mailTo(e2e.users.carol.email, 'QmNjOiBldmlsQGV2aWwuZXhhbXBsZQ');
    // The encoded words arrive as the text written, not decoded into a header or a bidi mark.
    expect(mail.subject).to.equal(`Your API token "${description}" was revoked`);
    expect(mail.to).to.deep.equal([e2e.users.carol.email]);
    const headers = headerBlock(mail.data);
    expect(headers).to.not.match(/^(Bcc|Cc):/im);
    expect(headers.match(/^Subject:/gim)).to.have.length(1);
    expect(headers.match(/^To:/gim)).to.have.length(1);
  });

  it('should link only to the configured base URL, whatever Host and X-Forwarded-Host the reporting client sent', async function () {
    this.timeout(20_000);
    const token = await e2e.createToken('alice', { tokenDescription: 'host header links' });
    // The Host is an IP address: a node on the loopback answers any other name 421 (e2e/host/dnsRebinding).
    const res = await curl(['-H', 'Host: 203.0.113.99', '-H', 'X-Forwarded-Host: evil.example', '-H', 'X-Forwarded-Proto: https',
      '-H', 'Forwarded: host=evil.example;proto=https', '-H', 'Content-Type: application/json',
      '--data', JSON.stringify({ tokens: [token.plainTextToken] }), `${e2e.host.url}${REVOKE}`]);
    expect(res.status, res.text).to.equal(202);
    const mail = await mailTo(e2e.users.alice.email, 'host header links');
    expect(mail.data).to.not.contain('evil.example').and.to.not.contain('203.0.113.99');
    const text = plainPart(mail.data);
    const links = text.match(/https?:\/\/\S+/g) ?? [];
    expect(links.length).to.be.greaterThan(0);
    for (const link of links) expect(link.startsWith(`${e2e.host.baseUrl}/`), link).to.equal(true);
  });

  it('should keep a hostile display name out of the mail headers and escape it in the HTML part', async function () {
    this.timeout(20_000);
    const hostile = '<b>Mallory</b>\r\nBcc: evil@evil.example\r\n\r\n<img src=x onerror=alert(1)>';
    const mallory = await createUser('mallory', hostile);
    const token = await tokenFor(['mallory', mallory.password], { tokenDescription: 'display name in headers' });
    expect((await e2e.req(REVOKE, { method: 'POST', body: { tokens: [token.plainTextToken] }, headers: from(freshIp()) })).status).to.equal(202);
    const mail = await mailTo(mallory.email, 'display name in headers');
    expect(mail.to).to.deep.equal([mallory.email]);
    const headers = headerBlock(mail.data);
    expect(headers).to.not.match(/^Bcc:/im);
    expect(headers).to.not.contain('Mallory');
    const stored = ((await e2e.as('admin', '/rest/hostsim/1.0/mail')).json as Array<{ to: string; subject: string; html: string | null }>)
      .find((m) => m.to === mallory.email && m.subject.includes('display name in headers'));
    expect(stored?.html).to.not.contain('<img');
    expect(stored?.html).to.not.contain('<b>');
    expect(stored?.html).to.contain('&lt;b&gt;Mallory&lt;/b&gt;');
  });

  // FINDING: a display name is written into the plain-text part as it is, line breaks included: an
  // administrator who can create users (or a directory that syncs display names) can add whole
  // paragraphs — a fake instruction and link — to the plugin's security mails, which a description
  // cannot (descriptions refuse line breaks and control characters for exactly that reason).
  it('should keep a display name on the greeting line of the plain-text part (no line breaks, no forged paragraphs)', async function () {
    this.timeout(20_000);
    const forged = 'Trent\r\n\r\nThis alert is a false positive, nothing to do. Re-enable the token here: https://evil.example/reset\r\n\r\nThanks';
    const trent = await createUser('trent', forged);
    const token = await tokenFor(['trent', trent.password], { tokenDescription: 'forged paragraphs' });
    expect((await e2e.req(REVOKE, { method: 'POST', body: { tokens: [token.plainTextToken] }, headers: from(freshIp()) })).status).to.equal(202);
    const mail = await mailTo(trent.email, 'forged paragraphs');
    const text = plainPart(mail.data).replace(/\r\n/g, '\n');
    const firstParagraph = text.split('\n\n')[0];
    expect(firstParagraph.startsWith('Hello Trent'), firstParagraph).to.equal(true);
    expect(firstParagraph, 'the greeting holds the whole display name on one line').to.match(/^Hello Trent[^\n]*https:\/\/evil\.example\/reset[^\n]*,$/);
  });

  // ---- logs ------------------------------------------------------------------------------------------

  it('should write a refused Basic user name with line breaks, ANSI escapes, separators and fake fields as one line of one entry', async function () {
    this.timeout(20_000);
    // No colon anywhere: Basic ends the user name at the first one.
    const forged = 'x\r\n2026-01-01T00.00.00.000Z INFO [TokenRequestAuthentication] admin has been authenticated via API Token 1\u001b[2K\u001b[1A'
      + '\u0085\u2028\u2029 reason=OK user=admin","level"="info","message"="admin has been authenticated';
    const before = lines.length;
    const wrong = `apitok_AAAAAAAAAAAA_${'B'.repeat(28)}${'C'.repeat(6)}`;
    expect((await e2e.req('/rest/api/2/myself', { auth: [forged, wrong], headers: from(freshIp()) })).status).to.equal(401);
    const refused = lines.slice(before).filter((l) => l.includes('API token refused'));
    expect(refused).to.have.length(1);
    const line = refused[0];
    expect(line.includes('\n') || line.includes('\r'), 'raw line break').to.equal(false);
    expect(UNSAFE_TEXT.test(line.replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')), 'raw control character or separator').to.equal(false);
    expect(lines.slice(before).some((l) => /has been authenticated/.test(l) && !l.includes('API token refused')), 'a forged success line').to.equal(false);
    if (line.startsWith('{')) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(entry.message).to.equal('API token refused');
      expect(entry.user).to.equal(forged);
      expect(entry.level).to.equal('info');
    } else {
      expect(line).to.match(/ INFO \[[^\]]+\] API token refused /);
    }
  });

  // ---- audit events ----------------------------------------------------------------------------------

  it('should record a refused client\'s Basic user name as one attribute value, never as other attributes or a reason', async function () {
    this.timeout(20_000);
    // (No colon: Basic ends the user name at the first one.)
    const forged = 'alice", "reason"= "OK", "x"= "\nreason=OK httpMethod=DELETE';
    const wrong = `apitok_DDDDDDDDDDDD_${'E'.repeat(28)}${'F'.repeat(6)}`;
    const ip = freshIp();
    expect((await e2e.req('/rest/api/2/myself', { auth: [forged, wrong], headers: from(ip) })).status).to.equal(401);
    const [event] = await auditFrom('token.refused', ip, 1);
    expect(event, 'the refusal audited').to.not.equal(undefined);
    expect(event.extraAttributes.map((a) => a.name).sort()).to.deep.equal(['httpMethod', 'path', 'reason', 'userName']);
    expect(attr(event, 'reason')).to.equal('BAD_CHECKSUM');
    expect(attr(event, 'httpMethod')).to.equal('GET');
    expect(attr(event, 'path')).to.equal('/rest/api/2/myself');
    // One value, its line break written as \u000a (the audit log keeps no raw control character).
    expect(attr(event, 'userName')).to.equal(forged.replace('\n', '\\u000a'));
  });

  it('should cut a 6,000-character Basic user name to 255 characters in the log and the audit event', async function () {
    this.timeout(20_000);
    const logBefore = lines.length;
    const wrong = `apitok_GGGGGGGGGGGG_${'H'.repeat(28)}${'I'.repeat(6)}`;
    const ip = freshIp();
    expect((await e2e.req('/rest/api/2/myself', { auth: ['u'.repeat(6000), wrong], headers: from(ip) })).status).to.equal(401);
    const [event] = await auditFrom('token.refused', ip, 1);
    expect(event, 'the refusal audited').to.not.equal(undefined);
    expect(attr(event, 'userName')).to.have.length(255);
    const line = lines.slice(logBefore).find((l) => l.includes('API token refused'))!;
    expect(line.length).to.be.lessThan(1000);
  });

  // FINDING: the log escapes every C0/C1 control and U+2028/U+2029 (createHostLogger.ts: "without
  // this one request could forge or hide lines") and descriptions refuse them and the bidi marks
  // (fields.ts: "Trojan Source"-style spoofing of what administrators read), but the audit log —
  // what an incident responder reads, and what line-based exports and SIEMs take in — keeps them raw,
  // from an unauthenticated client: in the Basic user name of a refused attempt (ESC, NEL, LS, RLO),
  // and in the decoded path of a refused attempt or of a token's use (only C0 and DEL are refused
  // in a path, so %C2%85, %E2%80%A8 and %E2%80%AE arrive as NEL, LS and RLO).
  it('should keep raw control characters, line separators and bidi marks a client sent out of audit attributes', async function () {
    this.timeout(30_000);
    const wrong = `apitok_JJJJJJJJJJJJ_${'K'.repeat(28)}${'L'.repeat(6)}`;
    const name = 'bob\u001b[31m\u0085\u2028\u202enimda';
    const byName = freshIp();
    expect((await e2e.req('/rest/api/2/myself', { auth: [name, wrong], headers: from(byName) })).status).to.equal(401);
    // A path the filter reads (only C0 controls and DEL are refused there): NEL, LS and RLO decoded.
    const path = '/rest/api/2/issue/%C2%85%E2%80%A8%E2%80%AEnimda';
    const byPath = freshIp();
    expect((await e2e.req(path, { bearer: wrong, headers: from(byPath) })).status).to.equal(401);
    const refused = [...await auditFrom('token.refused', byName, 1), ...await auditFrom('token.refused', byPath, 1)];
    expect(refused).to.have.length(2);
    const token = await e2e.createToken('bob', { tokenDescription: 'used on an odd path' });
    const byUse = freshIp();
    const use = await e2e.req(path, { bearer: token.plainTextToken, headers: from(byUse) });
    expect(use.status).to.be.oneOf([404, 400]);
    const used = (await auditFrom('token.used', byUse, 1)).filter((ev) => attr(ev, 'tokenId') === String(token.id));
    expect(used, 'the use audited').to.have.length(1);
    const values = [...refused, ...used].flatMap((ev) => ev.extraAttributes.map((a) => `${a.name}=${a.value}`));
    expect(values.filter((v) => UNSAFE_TEXT.test(v)), 'attributes with raw control or bidi characters').to.deep.equal([]);
  });

  // ---- CSV export -----------------------------------------------------------------------------------

  it('should defuse formulas in the user-name column and keep rows one per line', async function () {
    this.timeout(20_000);
    const formula = await createUser('-2+3', 'Formula Name', 'formula@example.com');
    const at = await createUser('@SUM.1', 'At Name', 'at@example.com');
    const t1 = await tokenFor(['-2+3', formula.password], { tokenDescription: 'csv user formula' });
    const t2 = await tokenFor(['@SUM.1', at.password], { tokenDescription: 'csv user at' });
    expect((await e2e.req('/rest/api/2/myself', { bearer: t1.plainTextToken, headers: from('2001:db8::1') })).status).to.equal(200);
    const csv = await e2e.as('admin', `${API}/user/tokensByFilter?format=csv&descriptionFilter=${encodeURIComponent('csv user')}`);
    expect(csv.status).to.equal(200);
    const rows = csv.text.split('\r\n').filter(Boolean);
    const row1 = rows.find((l) => l.startsWith(`${t1.id},`))!;
    const row2 = rows.find((l) => l.startsWith(`${t2.id},`))!;
    expect(row1.split(',')[2]).to.equal("'-2+3");
    expect(row2.split(',')[2]).to.equal("'@SUM.1");
    for (const row of [row1, row2]) for (const cell of row.split(',')) expect(cell, row).to.not.match(/^[=+\-@\t\r]/);
  });
});
