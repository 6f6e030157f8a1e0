// Attack review (2026-12-04): resource exhaustion. Each test is one attempt by someone who can reach a node (no
// credentials, one ordinary user's password, session or token, or a leaked token) to make the node,
// its database or a victim's inbox grow without bound, or to buy disproportionate database work
// with cheap requests. A test that fails is a finding (marked `// FINDING:`, each fixed since and
// kept red on the code before its fix), a test that passes a bound confirmed. Sizes are asserted (rows, mails, statements), never timings.
import { expect } from 'chai';
import { formatToken } from '../../../plugin/token/TokenFormat';
import { forEachDatabase } from '../../support/databases';
import { rawRequest, type RawOptions } from '../restrictions/support/rawHttp';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';
import { queryRows } from './support/seedTokenRows';

/** The host trusts this address as its reverse proxy, so each request can name its client (X-Forwarded-For). */
const PROXY = '127.0.0.3';
const DAY = 24 * 60 * 60 * 1000;
/** IPs a token row's KNOWN_IPS keeps (plugin/service/NewIpDetector.ts). */
const MAX_KNOWN_IPS = 50;
/** Failed token attempts per client and minute before 429 (docs/api.md). */
const FAILED_ATTEMPTS_PER_MINUTE = 100;

forEachDatabase('Resource exhaustion (attack review)', (kind) => {
  let e2e: E2eEnv;

  before(async function () {
    this.timeout(60_000);
    e2e = await startE2e('jira', kind, { HOSTSIM_SYSPROPS: `hostsim.trusted.proxies=${PROXY}` });
  });
  after(async function () {
    this.timeout(30_000);
    await stopAndCheckLeaks(e2e);
  });

  const from = (client: string, options: RawOptions = {}): RawOptions => ({
    ...options, localAddress: PROXY, headers: { ...(options.headers ?? {}), 'X-Forwarded-For': client },
  });
  /** One number a statement on the host database answers (`SELECT COUNT(*) …`; names quoted with `"`). */
  const scalar = async (sql: string): Promise<number> => Number(Object.values((await queryRows(e2e.host.dbUrl, sql))[0])[0]);
  const statements = (): number => {
    const c = e2e.host.runtime.db.statementCounts();
    return c.reads + c.writes;
  };
  const mailsTo = async (address: string): Promise<number> => {
    // Mails go out after the answer: let the ones still being queued land.
    let last = -1;
    for (let i = 0; i < 20; i++) {
      const n = (await e2e.host.mail()).filter((m) => m.to === address).length;
      if (n === last && i >= 2) return n;
      last = n;
      await new Promise((r) => setTimeout(r, 100));
    }
    return last;
  };

  // ---- the owner's inbox ------------------------------------------------------------------------

  // FINDING: every token created through a token mails its owner ("issued-through-token"); the
  // hour window that stops a regeneration loop does not cover creations, so whoever holds a leaked
  // read/write token sends the owner one mail (and one HOST_MAIL row) per create + delete pair,
  // for ever, burying the one alert that matters.
  it('should not let the holder of a leaked token send its owner a mail per token created and deleted through it', async function () {
    this.timeout(60_000);
    const leaked = await e2e.createToken('carol', { tokenDescription: 'leaked CI token' });
    await e2e.host.clearMail();
    const rounds = 30;
    for (let i = 0; i < rounds; i++) {
      const created = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: leaked.plainTextToken, body: { tokenDescription: `loop ${i}` } });
      expect(created.status, created.text).to.equal(200);
      e2e.issued.push(created.json.plainTextToken);
      const deleted = await e2e.req(`${API}/user/token/${created.json.id}`, { method: 'DELETE', bearer: leaked.plainTextToken });
      expect(deleted.status, deleted.text).to.equal(200);
    }
    const mails = await mailsTo(e2e.users.carol.email);
    expect(mails, 'the first creation is news; the owner has been told which token does it').to.be.at.least(1);
    // As for regenerations (docs/jobs-and-mail.md): at most one such mail an hour per calling token and node.
    expect(mails, `${rounds} creations through one token`).to.be.at.most(2);
  });

  // ---- sessions ---------------------------------------------------------------------------------

  // FINDING: a session row (HOST_SESSION) is removed only when its own cookie comes back after the
  // idle timeout, or at logout. A script that signs in for every call (POST /rest/auth/1/session,
  // as the seeds' curl lines do) leaves one row per call in the database for ever.
  it('should not keep the sessions of logins that were never used again past the idle timeout', async function () {
    this.timeout(60_000);
    const logins = 40;
    for (let i = 0; i < logins; i++) {
      const res = await e2e.req('/rest/auth/1/session', { method: 'POST', body: { username: e2e.users.bob.name, password: e2e.users.bob.password } });
      expect(res.status, res.text).to.equal(200);
    }
    const sessionTable = 'HOST_SESSION';
    const before = await scalar(`SELECT COUNT(*) AS N FROM ${sessionTable}`);
    expect(before).to.be.at.least(logins);
    const offset = e2e.host.clock.offset();
    try {
      await e2e.host.clock.advance(8 * DAY); // past SESSION_IDLE_TIMEOUT_MS (7 days)
      const res = await e2e.req('/rest/auth/1/session', { method: 'POST', body: { username: e2e.users.bob.name, password: e2e.users.bob.password } });
      expect(res.status, res.text).to.equal(200);
      let after = Infinity;
      for (let i = 0; i < 20 && after > 5; i++) {
        after = await scalar(`SELECT COUNT(*) AS N FROM ${sessionTable}`);
        if (after > 5) await new Promise((r) => setTimeout(r, 100));
      }
      expect(after, `sessions left of ${before} idle for 8 days, after a new login`).to.be.at.most(5);
    } finally {
      await e2e.host.clock.setOffset(offset);
    }
  });

  // ---- the audit log ----------------------------------------------------------------------------

  /**
   * Uses a new token once from each of `clients` and counts its `token used` events whose source
   * starts with `prefix`, once they are written (in batches once a second: until two reads 1.2 s
   * apart agree).
   */
  async function tokenUsedEventsFrom(clients: readonly string[], prefix: string): Promise<number> {
    const token = await e2e.createToken('alice', { tokenDescription: `rotation in ${prefix}` });
    for (const client of clients) {
      const res = await rawRequest(e2e.host.url, '/rest/api/2/myself', from(client, { bearer: token.plainTextToken }));
      expect(res.status, res.text).to.equal(200);
    }
    let used = -1;
    for (let i = 0; i < 15; i++) {
      await new Promise((r) => setTimeout(r, 1200));
      const res = await e2e.as('admin', '/rest/auditing/1.0/events?action=token.used&limit=1000');
      const n = (res.json.entities as Array<{ source: string }>).filter((e) => e.source.startsWith(prefix)).length;
      if (n === used) break;
      used = n;
    }
    return used;
  }

  // FINDING: `auditTokenUse: sampled` audits the first use per token and exact client IP per hour.
  // An IPv6 client owns a whole /64 (the throttle counts it as one client for that reason), so a
  // leaked token used from a new address of its /64 for every request writes one `token used` row
  // per request: "sampled" becomes "all", and the audit queue it shares with everything else fills.
  it('should not write a `token used` audit event per request for a token used from every address of one IPv6 /64', async function () {
    this.timeout(60_000);
    const clients = Array.from({ length: 200 }, (_, i) => `2001:db8:77:1::${(i + 1).toString(16)}`);
    const used = await tokenUsedEventsFrom(clients, '2001:db8:77:1:');
    expect(used, 'the first use is audited').to.be.at.least(1);
    expect(used, `${clients.length} requests from one /64 within the hour`).to.equal(1);
  });

  // FINDING (attack review 24): the same from a /48 (free from tunnel brokers): a fresh /64 for
  // every request was a client of its own, each first use audited — 65,536 rows an hour per token.
  it('should not write a `token used` audit event per /64 for a token used from every /64 of one IPv6 /48', async function () {
    this.timeout(60_000);
    const clients = Array.from({ length: 200 }, (_, i) => `2001:db8:78:${((i % 16) * 256 + i).toString(16)}::1`);
    const used = await tokenUsedEventsFrom(clients, '2001:db8:78:');
    expect(used, 'the first uses are audited').to.be.at.least(1);
    expect(used, `${clients.length} requests from ${clients.length} /64s of one /48 within the hour`).to.be.at.most(4);
  });

  // ---- the host's user lookups -------------------------------------------------------------------

  // FINDING: a password Basic login looks the user name up (one read) and caches the answer per
  // name, also "no such user", also for names longer than any user name can be (255 characters):
  // an anonymous client puts ~6 KB entries (what an 8 KB Authorization header holds) into the
  // host's user cache (50,000 entries before it is cleared: ~300 MB, and every real user's entry
  // goes with it) and reads the database once per made-up name.
  it('should look up no user name longer than a user name may be', async function () {
    this.timeout(30_000);
    await new Promise((r) => setTimeout(r, 300)); // let the audit and last-access writes of earlier tests settle
    const before = statements();
    const names = 100;
    for (let i = 0; i < names; i++) {
      const res = await rawRequest(e2e.host.url, '/rest/api/2/myself', from('198.51.100.90', { basic: [`${'n'.repeat(6000)}${i}`, 'not-a-token'] }));
      expect(res.status).to.equal(401);
    }
    const spent = statements() - before;
    expect(spent, `statements for ${names} over-long user names`).to.be.below(names / 10);
  });

  // ---- the compiled restrictions -----------------------------------------------------------------

  // Reachability of the unit finding on the compiled-restrictions cache
  // (test/unit/plugin/resourceExhaustionAttacks.test.ts): an ordinary user's PATCH stores, and
  // primes this node's cache with, a distinct set of ~60 KB each time.
  it('should accept from an ordinary user a restriction set of ~60 KB per PATCH, each a new entry of the node\'s compiled cache', async function () {
    this.timeout(30_000);
    const token = await e2e.createToken('alice', { tokenDescription: 'bulky restrictions' });
    for (let n = 0; n < 3; n++) {
      const rules = [];
      for (let r = 0; r < 10; r++) {
        rules.push({ urlPattern: `.*/rest/api/2/issue/P${n}-.*`, headers: Array.from({ length: 20 }, (_, c) => ({ name: `X-${n}-${r}-${c}-`.padEnd(255, 'h'), pattern: '.*' })) });
      }
      const body = { restrictions: { rules } };
      expect(JSON.stringify(body).length).to.be.above(55_000);
      const res = await e2e.as('alice', `${API}/user/token/${token.id}`, { method: 'PATCH', body });
      expect(res.status, res.text.slice(0, 300)).to.equal(200);
    }
  });

  // ---- bounds that held --------------------------------------------------------------------------

  it('should read the database once for a well-formed unknown token, however often it is sent', async function () {
    this.timeout(30_000);
    const known = await e2e.createToken('alice', { tokenDescription: 'shape donor' });
    // Same public id shape and checksum rules, another public id: a real token body with a fresh checksum.
    const unknown = formatToken('ZZZZunknown1', known.plainTextToken.slice(20, 48));
    const first = await rawRequest(e2e.host.url, '/rest/api/2/myself', from('198.51.100.91', { bearer: unknown }));
    expect(first.status).to.equal(401);
    await new Promise((r) => setTimeout(r, 300));
    const before = statements();
    for (let i = 0; i < 50; i++) {
      const res = await rawRequest(e2e.host.url, '/rest/api/2/myself', from(`198.51.100.${100 + i}`, { bearer: unknown }));
      expect(res.status).to.equal(401);
    }
    // Refusals are audited (batched writes), nothing else.
    expect(statements() - before).to.be.below(10);
  });

  it('should count every address of one IPv6 /64 as one client of the failure throttle', async function () {
    this.timeout(30_000);
    const badToken = (i: number): string => `apitok_${String(i).padStart(12, 'R')}_${'B'.repeat(28)}${'C'.repeat(6)}`;
    const statuses: number[] = [];
    for (let i = 0; i <= FAILED_ATTEMPTS_PER_MINUTE; i++) {
      statuses.push((await rawRequest(e2e.host.url, '/rest/api/2/myself', from(`2001:db8:99:5:${(i + 1).toString(16)}::1`, { bearer: badToken(i) }))).status);
    }
    expect(statuses.slice(0, FAILED_ATTEMPTS_PER_MINUTE).every((s) => s === 401)).to.equal(true);
    expect(statuses[FAILED_ATTEMPTS_PER_MINUTE]).to.equal(429);
  });

  it('should keep at most 50 addresses in a token\'s KNOWN_IPS, from however many it is used', async function () {
    this.timeout(60_000);
    const token = await e2e.createToken('bob', { tokenDescription: 'many addresses' });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 60; i++) {
        const res = await rawRequest(e2e.host.url, '/rest/api/2/myself', from(`203.0.113.${round * 60 + i + 1}`, { bearer: token.plainTextToken }));
        expect(res.status).to.equal(200);
      }
      expect(await e2e.host.runJob('de.resolution.apitokenauth', 'new-ip-alert-job')).to.equal(true);
    }
    const table = e2e.product === 'jira' ? 'AO_5D4005_TOKEN' : 'AO_2DF51C_TOKEN';
    const length = await scalar(`SELECT LENGTH("KNOWN_IPS") AS N FROM "${table}" WHERE "ID" = ${token.id}`);
    // 50 quoted addresses of at most 15 characters, commas and brackets.
    expect(length).to.be.above(0);
    expect(length).to.be.at.most(MAX_KNOWN_IPS * 18 + 2);
  });
});
