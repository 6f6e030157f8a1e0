// docs/api.md "What a token may do": refused attempts are logged and audited, but an anonymous
// client cannot add one audit row per request for ever. From the attack review of 2026-12-02:
// past the failure limit every 429 was still audited (and refusals that never reached the
// throttle — malformed header, token off REST — were 401 at full speed, each audited), with
// the Basic user name and the path stored as sent (~10 KB a row); and an IPv6 client had a
// fresh counter for each of the 2^64 addresses of its /64.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { rawRequest, type RawOptions } from '../restrictions/support/rawHttp';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

/** A token-shaped string with a broken checksum: refused without any database read. */
const badToken = (i: number): string => `apitok_${String(i).padStart(12, 'Q')}_${'B'.repeat(28)}${'C'.repeat(6)}`;

/** Failed token attempts per client and minute before 429 (docs/api.md). */
const FAILED_ATTEMPTS_PER_MINUTE = 100;
/** Revocation requests per client and minute before 429 (docs/api.md). */
const REVOKE_REQUESTS_PER_MINUTE = 10;
/** The host trusts this address as its reverse proxy, so each test can be its own client (X-Forwarded-For). */
const PROXY = '127.0.0.3';

forEachDatabase('Refused token attempts in bulk', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind, { HOSTSIM_SYSPROPS: `hostsim.trusted.proxies=${PROXY}` }); });
  after(() => stopAndCheckLeaks(e2e));

  const from = (client: string, options: RawOptions = {}): RawOptions => ({
    ...options, localAddress: PROXY, headers: { ...(options.headers ?? {}), 'X-Forwarded-For': client },
  });

  /**
   * The `token.refused` events of `client` (their attributes by name): polled until at least `min`
   * are written (up to 20 s), then until a read 1.5 s after the one before finds no more. Refusals are
   * written in batches about once a second: two reads closer together than that could both come
   * before the next batch (the last ones of a flood, or the only one, not yet written).
   */
  async function refusedEventsOf(client: string | ((source: string) => boolean), min: number): Promise<Array<Record<string, string>>> {
    const mineIf = typeof client === 'string' ? (source: string) => source === client : client;
    const read = async () => {
      const res = await e2e.as('admin', '/rest/auditing/1.0/events?action=token.refused&limit=1000');
      expect(res.status).to.equal(200);
      return (res.json.entities as Array<{ source: string; extraAttributes: Array<{ name: string; value: string }> }>)
        .filter((e) => mineIf(e.source))
        .map((e) => Object.fromEntries(e.extraAttributes.map((a) => [a.name, a.value])));
    };
    let mine = await read();
    for (const deadline = Date.now() + 20_000; mine.length < min && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 250));
      mine = await read();
    }
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 1500));
      const again = await read();
      if (again.length === mine.length) return again;
      mine = again;
    }
    throw new Error('the audit log did not settle');
  }

  it('should audit each refusal up to the limit and then one a minute, whatever the refusal', async function () {
    this.timeout(120_000);
    const client = '198.51.100.20';
    const statuses: number[] = [];
    for (let i = 0; i < 2 * FAILED_ATTEMPTS_PER_MINUTE; i++) {
      statuses.push((await rawRequest(e2e.host.url, '/rest/api/2/myself', from(client, { bearer: badToken(i) }))).status);
    }
    expect(statuses.slice(0, FAILED_ATTEMPTS_PER_MINUTE).every((s) => s === 401)).to.equal(true);
    expect(statuses.slice(FAILED_ATTEMPTS_PER_MINUTE).every((s) => s === 429)).to.equal(true);
    // Refusals that come before any token check count on the same counter.
    for (let i = 0; i < 50; i++) {
      expect((await rawRequest(e2e.host.url, '/rest/api/2/serverInfo', from(client, { headers: { Authorization: 'Bearer two words' } }))).status).to.equal(429);
      expect((await rawRequest(e2e.host.url, '/secure/ViewProfile.jspa', from(client, { bearer: badToken(1000 + i) }))).status).to.equal(429);
    }
    const events = await refusedEventsOf(client, FAILED_ATTEMPTS_PER_MINUTE + 1);
    expect(events).to.have.length(FAILED_ATTEMPTS_PER_MINUTE + 1);
    expect(events.filter((e) => e.reason === 'THROTTLED')).to.have.length(1);
  });

  it('should count an IPv6 client\'s /56 and /48 too, so that a fresh /64 for every refusal buys no more 401s or audit rows', async function () {
    this.timeout(120_000);
    // A /48 is 65,536 /64s, each once counted on its own: 100 audited refusals apiece.
    const statuses: number[] = [];
    for (let i = 0; i < 4 * FAILED_ATTEMPTS_PER_MINUTE; i++) {
      const client = `2001:db8:5a:${((i % 256) * 256 + Math.floor(i / 256)).toString(16)}::1`;
      statuses.push((await rawRequest(e2e.host.url, '/rest/api/2/myself', from(client, { bearer: badToken(5000 + i) }))).status);
    }
    expect(statuses.filter((s) => s === 401)).to.have.length(3 * FAILED_ATTEMPTS_PER_MINUTE);
    expect(statuses.slice(3 * FAILED_ATTEMPTS_PER_MINUTE).every((s) => s === 429)).to.equal(true);
    const events = await refusedEventsOf((source) => source.startsWith('2001:db8:5a:'), 3 * FAILED_ATTEMPTS_PER_MINUTE + 1);
    expect(events.length).to.be.at.most(3 * FAILED_ATTEMPTS_PER_MINUTE + 3);
    expect((await rawRequest(e2e.host.url, '/rest/api/2/myself', from('2001:db8:5b::1', { bearer: badToken(9999) }))).status, 'another /48').to.equal(401);
  });

  // Attack review 25: a verified secret refused from outside its IP allowlist (or by its rules, or
  // as read-only) was audited on every request, past any limit: whoever held a leaked token that
  // cannot be used from where they are wrote one `token refused` row per request, for ever.
  it('should audit a live token\'s refusals up to the limit and then once a minute, like any other refusal', async function () {
    this.timeout(120_000);
    const fenced = await e2e.createToken('alice', { tokenDescription: 'fenced off', ipAllowlist: ['192.0.2.1'] });
    const client = '198.51.100.23';
    const statuses: number[] = [];
    for (let i = 0; i < 2 * FAILED_ATTEMPTS_PER_MINUTE; i++) {
      statuses.push((await rawRequest(e2e.host.url, '/rest/api/2/myself', from(client, { bearer: fenced.plainTextToken }))).status);
    }
    // Still the refusal (the secret verified: there is no guess to slow down), recorded within the limit.
    expect(statuses.every((s) => s === 403), statuses.join()).to.equal(true);
    const events = await refusedEventsOf(client, FAILED_ATTEMPTS_PER_MINUTE + 1);
    expect(events).to.have.length(FAILED_ATTEMPTS_PER_MINUTE + 1);
    expect(events.filter((e) => e.reason === 'THROTTLED')).to.have.length(1);
    // The token keeps working from where it may be used.
    expect((await rawRequest(e2e.host.url, '/rest/api/2/myself', from('192.0.2.1', { bearer: fenced.plainTextToken }))).status).to.equal(200);
  });

  it('should count refusals before any token check, so that a flood of them is answered 429', async function () {
    this.timeout(60_000);
    const client = '198.51.100.21';
    const statuses: number[] = [];
    for (let i = 0; i <= FAILED_ATTEMPTS_PER_MINUTE; i++) {
      statuses.push((await rawRequest(e2e.host.url, '/rest/api/2/serverInfo', from(client, { headers: { Authorization: 'Bearer two words' } }))).status);
    }
    expect(statuses.slice(0, FAILED_ATTEMPTS_PER_MINUTE).every((s) => s === 401)).to.equal(true);
    expect(statuses[FAILED_ATTEMPTS_PER_MINUTE]).to.equal(429);
    // A good token from the same client is never throttled.
    const good = await e2e.createToken('alice');
    expect((await rawRequest(e2e.host.url, '/rest/api/2/myself', from(client, { bearer: good.plainTextToken }))).status).to.equal(200);
  });

  it('should keep at most 255 characters of the user name and 1,000 of the path in the refusal\'s audit event', async () => {
    const client = '198.51.100.22';
    const res = await rawRequest(e2e.host.url, `/rest/api/2/${'p'.repeat(3000)}`, from(client, { basic: ['u'.repeat(3000), badToken(7)] }));
    expect(res.status).to.equal(401);
    const [event] = await refusedEventsOf(client, 1);
    expect(event.userName.length).to.be.within(200, 255);
    expect(event.path.length).to.be.within(900, 1000);
  });

  it('should count one IPv6 client per /64, not per address', async function () {
    this.timeout(60_000);
    // One subscriber line gets a whole /64: each request below comes from another address of it.
    const v6 = (i: number) => `2001:db8:1:2::${(i + 1).toString(16)}`;
    const revokes: number[] = [];
    for (let i = 0; i <= REVOKE_REQUESTS_PER_MINUTE; i++) {
      revokes.push((await rawRequest(e2e.host.url, `${API}/tokens/revoke`, from(v6(i), {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ tokens: [badToken(i)] }),
      }))).status);
    }
    expect(revokes.slice(0, REVOKE_REQUESTS_PER_MINUTE).every((s) => s === 202)).to.equal(true);
    expect(revokes[REVOKE_REQUESTS_PER_MINUTE]).to.equal(429);
    const failures: number[] = [];
    for (let i = 0; i <= FAILED_ATTEMPTS_PER_MINUTE; i++) {
      failures.push((await rawRequest(e2e.host.url, '/rest/api/2/myself', from(v6(1000 + i), { bearer: badToken(20_000 + i) }))).status);
    }
    expect(failures[FAILED_ATTEMPTS_PER_MINUTE]).to.equal(429);
    // Another /64 is another client.
    expect((await rawRequest(e2e.host.url, '/rest/api/2/myself', from('2001:db8:1:3::1', { bearer: badToken(30_000) }))).status).to.equal(401);
  });
});
