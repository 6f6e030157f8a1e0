// Issue 12 B, "Revoke a leaked token without an account": POST …/tokens/revoke needs no login —
// holding a token proves the right to kill it. One constant answer (202, same body) whatever the
// strings are; each valid one (expired too) is revoked on every node, audited (author anonymous,
// the client's IP) and its owner mailed; throttled per client IP.
import { expect } from 'chai';
import { formatToken } from '../../../plugin/token/TokenFormat';
import { forEachDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { API, type E2eEnv } from './support/e2eHost';
import { eventually, startTwoNodes, stopTwoNodes } from './support/twoNodes';

const REVOKE = `${API}/tokens/revoke`;
type Extra = Record<string, string>;
const extra = (event: Record<string, unknown>): Extra =>
  Object.fromEntries(((event.extraAttributes ?? []) as Array<{ name: string; value: string }>).map((a) => [a.name, a.value]));

forEachDatabase('token revocation without an account (issue 12 B)', (kind) => {
  let e2e: E2eEnv;
  let node2: TestHost;
  let ipCounter = 0;
  /** A client IP of its own for each use, so that the per-IP throttle of one test does not touch another. */
  const freshIp = () => `198.51.100.${++ipCounter}`;

  before(async function () {
    this.timeout(60_000);
    // The test client is the trusted proxy: X-Forwarded-For names the client IP.
    const env = { HOSTSIM_SYSPROPS: 'hostsim.trusted.proxies=127.0.0.1' };
    ({ e2e, node2 } = await startTwoNodes(kind, env));
  });
  after(async () => {
    await stopTwoNodes({ e2e, node2 });
  });

  const revoke = (tokens: unknown, ip = freshIp(), headers: Record<string, string> = {}, bearer?: string) =>
    e2e.req(REVOKE, { method: 'POST', body: { tokens }, headers: { 'X-Forwarded-For': ip, ...headers }, ...(bearer ? { bearer } : {}) });
  const works = async (token: string, on: { request: E2eEnv['req'] } = { request: e2e.req }) => (await on.request('/rest/api/2/myself', { bearer: token })).status === 200;
  const hostNow = async (): Promise<number> => (await e2e.as('admin', '/rest/hostsim/1.0/clock')).json.now as number;
  const outboxTo = async (address: string) =>
    ((await e2e.as('admin', '/rest/hostsim/1.0/mail')).json as Array<{ to: string; subject: string; text: string; html: string | null }>).filter((m) => m.to === address);

  it('should answer every kind of string with the same 202 and body, and revoke only the valid ones', async function () {
    this.timeout(30_000);
    const valid = await e2e.createToken('alice', { tokenDescription: 'pushed to GitHub' });
    const bobs = await e2e.createToken('bob', { tokenDescription: 'bob keeps this' });
    const expiring = await e2e.createToken('carol', { tokenDescription: 'about to expire', tokenExpirationDateTimeMillis: (await hostNow()) + 60_000 });
    const offset = Number((await e2e.as('admin', '/rest/hostsim/1.0/clock')).json.offsetMillis);
    expect((await e2e.as('admin', '/rest/hostsim/1.0/clock', { method: 'PUT', body: { offsetMillis: offset + 120_000 } })).status).to.equal(200);
    expect(await works(expiring.plainTextToken)).to.equal(false);
    const publicIdOf = (t: string) => t.slice(7, 19);
    const wrongSecret = formatToken(publicIdOf(bobs.plainTextToken), 'A'.repeat(28));
    const unknown = formatToken('ZZZZZZZZZZZZ', 'B'.repeat(28));
    const badChecksum = `${bobs.plainTextToken.slice(0, -1)}${bobs.plainTextToken.endsWith('A') ? 'B' : 'A'}`;
    const cases: Array<[string, unknown[]]> = [
      ['valid', [valid.plainTextToken]], ['expired', [expiring.plainTextToken]], ['wrong secret', [wrongSecret]], ['unknown', [unknown]],
      ['bad checksum', [badChecksum]], ['malformed', ['hello']], ['empty string', ['']], ['empty list', []],
      ['mixed', ['x', unknown, wrongSecret, 'apitok_']],
    ];
    const answers = [];
    for (const [name, tokens] of cases) answers.push({ name, res: await revoke(tokens) });
    for (const { name, res } of answers) {
      expect(res.status, `${name}: ${res.text}`).to.equal(202);
      expect(res.text, name).to.equal(answers[0].res.text);
      expect(res.headers.get('content-type'), name).to.equal(answers[0].res.headers.get('content-type'));
    }
    expect(await works(valid.plainTextToken)).to.equal(false);
    expect(await works(bobs.plainTextToken)).to.equal(true);
    const lookupExpired = await e2e.as('admin', `${API}/admin/tokens/lookup`, { method: 'POST', body: { token: expiring.plainTextToken } });
    expect(lookupExpired.status).to.equal(404);
    const alicesTokens = (await e2e.as('alice', `${API}/user/token`)).json as Array<{ id: number }>;
    expect(alicesTokens.map((t) => t.id)).to.not.include(valid.id);
  });

  it('should revoke a token sent in the Authorization header as well as in the body, on every node', async function () {
    this.timeout(20_000);
    const token = await e2e.createToken('alice', { tokenDescription: 'header and body' });
    expect(await works(token.plainTextToken, { request: node2.request })).to.equal(true);
    const res = await revoke([token.plainTextToken], freshIp(), {}, token.plainTextToken);
    expect(res.status, res.text).to.equal(202);
    expect(await works(token.plainTextToken)).to.equal(false);
    expect(await eventually(async () => !(await works(token.plainTextToken, { request: node2.request })), 3000)).to.equal(true);
  });

  it('should audit each revoked token once, as anonymous from the client IP, and mail its owner', async function () {
    this.timeout(30_000);
    const first = await e2e.createToken('carol', { tokenDescription: 'carol leaked one' });
    const second = await e2e.createToken('carol', { tokenDescription: 'carol leaked two' });
    const ip = freshIp();
    expect((await revoke([first.plainTextToken, second.plainTextToken, first.plainTextToken, 'junk'], ip)).status).to.equal(202);
    const ours = async () => (await e2e.auditEvents('token.revoked')).filter((ev) => [String(first.id), String(second.id)].includes(extra(ev).tokenId));
    expect(await eventually(async () => (await ours()).length >= 2, 5000)).to.equal(true);
    const events = await ours();
    expect(events).to.have.length(2);
    for (const ev of events) {
      // No user: the audit log shows no author (as for refused tokens); the event says it was anonymous.
      expect((ev.author as { type: string }).type, JSON.stringify(ev)).to.equal('system');
      expect(extra(ev).caller).to.equal('anonymous');
      expect(ev.source, JSON.stringify(ev)).to.equal(ip);
      expect(extra(ev).tokenForUserKey).to.equal(e2e.users.carol.key);
    }
    expect(await eventually(async () => (await outboxTo(e2e.users.carol.email)).length >= 2, 5000)).to.equal(true);
    const mails = await outboxTo(e2e.users.carol.email);
    const mail = mails.find((m) => m.subject.includes('carol leaked one'));
    expect(mail, JSON.stringify(mails.map((m) => m.subject))).to.not.equal(undefined);
    expect(mail!.subject).to.match(/revoked/i);
    expect(mail!.text).to.include(`(id ${first.id})`).and.include(ip);
    expect(JSON.stringify(mails)).to.not.include(first.plainTextToken.slice(20, 48));
  });

  it('should throttle one client IP beyond 10 requests a minute with 429 and Retry-After, and not another', async function () {
    this.timeout(20_000);
    const ip = freshIp();
    for (let i = 0; i < 10; i++) expect((await revoke(['x'], ip)).status, `request ${i + 1}`).to.equal(202);
    const refused = await revoke(['x'], ip);
    expect(refused.status).to.equal(429);
    expect(Number(refused.headers.get('retry-after'))).to.be.within(1, 60);
    const token = await e2e.createToken('bob', { tokenDescription: 'not revoked while throttled' });
    expect((await revoke([token.plainTextToken], ip)).status).to.equal(429);
    expect(await works(token.plainTextToken)).to.equal(true);
    expect((await revoke([token.plainTextToken], freshIp())).status).to.equal(202);
    expect(await works(token.plainTextToken)).to.equal(false);
  });

  it('should take at most 100 strings in a {"tokens": [...]} body, else 400', async () => {
    const hundred = Array.from({ length: 100 }, (_v, i) => `junk${i}`);
    expect((await revoke(hundred)).status).to.equal(202);
    for (const body of [{ tokens: [...hundred, 'one more'] }, { tokens: [1] }, { tokens: 'apitok_x' }, {}, { tokens: [], extra: true }, [[]]]) {
      const res = await e2e.req(REVOKE, { method: 'POST', body, headers: { 'X-Forwarded-For': freshIp() } });
      expect(res.status, JSON.stringify(body).slice(0, 60)).to.equal(400);
    }
  });
});
