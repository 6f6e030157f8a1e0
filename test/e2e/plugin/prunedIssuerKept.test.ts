// Pruning is no revocation, so it detaches what was issued through a pruned token — and a thief
// could use that: with a stolen token's help (revokeUnusedAfterDays lowered, which only tightens,
// or its own expiry moved earlier with pruneExpiredAfterDays 0), use only a token minted through
// it, let the pruner delete the idle stolen token, and keep the minted one once the leak is
// revoked. A token through which existing tokens were issued is now revoked by expiring it and
// kept until they are gone, so revoking its secret (or deleting it) still takes them. Found by
// the seventh attack review.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const SETTINGS = `${API}/admin/settings`;
const PRUNE_JOB = 'de.resolution.apitokenauth:token-prune-job';
const CLOCK = '/rest/hostsim/1.0/clock';
const DAY = 24 * 60 * 60 * 1000;

forEachDatabase('A pruned token through which tokens were issued', (kind) => {
  let e2e: E2eEnv;
  let offset = 0;
  // One node: the unused rule's wait for other nodes' answers is cut to 1 s (no node to wait for).
  before(async () => { e2e = await startE2e('jira', kind, { HOSTSIM_SYSPROPS: 'apitokenauth.lastAccessFlush.answerWindowMs=1000' }); });
  after(async () => {
    await e2e.as('admin', CLOCK, { method: 'PUT', body: { offsetMillis: 0 } });
    await stopAndCheckLeaks(e2e);
  });

  const moveClock = async (by: number) => {
    offset += by;
    expect((await e2e.as('admin', CLOCK, { method: 'PUT', body: { offsetMillis: offset } })).status).to.equal(200);
  };
  const prune = async () => {
    const res = await e2e.as('admin', `/rest/hostsim/1.0/jobs/${encodeURIComponent(PRUNE_JOB)}/run`, { method: 'POST' });
    expect(res.status, res.text).to.equal(200);
  };
  const works = async (token: string) => (await e2e.req('/rest/api/2/myself', { bearer: token })).status === 200;
  const mintThrough = async (bearer: string, tokenDescription: string) => {
    const res = await e2e.req(`${API}/user/token`, { method: 'POST', bearer, body: { tokenDescription } });
    expect(res.status, res.text).to.equal(200);
    e2e.issued.push(String(res.json.plainTextToken));
    return { id: Number(res.json.id), plainTextToken: String(res.json.plainTextToken) };
  };
  const revoke = (token: string) => e2e.req(`${API}/tokens/revoke`, { method: 'POST', body: { tokens: [token] } });
  const ids = async (user: 'admin' | 'bob') => ((await e2e.as(user, `${API}/user/token`)).json as Array<{ id: number }>).map((t) => t.id);

  it('should revoke an unused stolen token by expiring it, keep it, and take what was minted through it when the leak is revoked', async () => {
    const stolen = await e2e.createToken('admin', { tokenDescription: 'ci job', tokenValidityTimeInMonths: 12 });
    const minted = await mintThrough(stolen.plainTextToken, 'nightly export');
    const tightened = await e2e.req(SETTINGS, { method: 'PUT', bearer: stolen.plainTextToken, body: { revokeUnusedAfterDays: 1 } });
    expect(tightened.status, tightened.text).to.equal(200);
    await moveClock(2 * DAY);
    expect(await works(minted.plainTextToken)).to.equal(true);
    await prune();
    expect(await works(stolen.plainTextToken), 'revoked as unused').to.equal(false);
    expect(await ids('admin'), 'kept, expired').to.include(stolen.id);
    expect((await revoke(stolen.plainTextToken)).status).to.equal(202);
    expect(await works(minted.plainTextToken), 'minted through the revoked token').to.equal(false);
    expect(await ids('admin')).to.not.include(stolen.id);
    await e2e.inSession('admin', SETTINGS, { method: 'PUT', body: { revokeUnusedAfterDays: 0 } });
  });

  it('should keep an expired token through which a token was issued until that one is gone, then prune it', async () => {
    const now = (await e2e.as('admin', CLOCK)).json.now as number;
    const issuer = await e2e.createToken('bob', { tokenDescription: 'expires first', tokenExpirationDateTimeMillis: now + 2 * DAY });
    const child = await mintThrough(issuer.plainTextToken, 'issued through it');
    await moveClock(40 * DAY);
    await prune();
    const left = await ids('bob');
    expect(left, 'the child, expired as long, is pruned').to.not.include(child.id);
    expect(left, 'the issuer is kept while its child existed').to.include(issuer.id);
    await prune();
    expect(await ids('bob'), 'pruned once nothing issued through it is left').to.not.include(issuer.id);
  });
});
