// A token issued through a token that has expired regenerates itself and stays. The pruner's
// store used to delete the expired issuer and leave the link to the deleted id in place, so when
// the surviving token regenerated itself, the token service took the missing issuer for a
// revocation under way and deleted the token (401). Now the pruner clears such links, and keeps
// an expired token through which existing tokens were issued until they are gone
// (prunedIssuerKept.test.ts).
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const PRUNE_JOB = 'de.resolution.apitokenauth:token-prune-job';
const DAY = 24 * 60 * 60 * 1000;

forEachDatabase('Tokens issued through a pruned token', (kind) => {
  let e2e: E2eEnv;

  before(async () => { e2e = await startE2e('jira', kind); });
  after(async () => {
    await e2e.as('admin', '/rest/hostsim/1.0/clock', { method: 'PUT', body: { offsetMillis: 0 } });
    await stopAndCheckLeaks(e2e);
  });

  const works = async (token: string) => (await e2e.req('/rest/api/2/myself', { bearer: token })).status === 200;
  const ownIds = async () => ((await e2e.as('bob', `${API}/user/token`)).json as Array<{ id: number }>).map((t) => t.id);

  it('should let a token issued through an expired token regenerate itself after a prune run, and keep it', async () => {
    const now = (await e2e.as('admin', '/rest/hostsim/1.0/clock')).json.now as number;
    const parent = await e2e.createToken('bob', { tokenDescription: 'shortened, then pruned', tokenExpirationDateTimeMillis: now + 60 * DAY });
    const minted = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: parent.plainTextToken, body: { tokenDescription: 'issued through it' } });
    expect(minted.status, minted.text).to.equal(200);
    const child = { id: Number(minted.json.id), plainTextToken: String(minted.json.plainTextToken) };
    e2e.issued.push(child.plainTextToken);
    const shortened = await e2e.as('bob', `${API}/user/token/${parent.id}`, { method: 'PATCH', body: { tokenExpirationDateTimeMillis: now + DAY } });
    expect(shortened.status, shortened.text).to.equal(200);
    expect((await e2e.as('admin', '/rest/hostsim/1.0/clock', { method: 'PUT', body: { offsetMillis: 32 * DAY } })).status).to.equal(200);
    const pruned = await e2e.as('admin', `/rest/hostsim/1.0/jobs/${encodeURIComponent(PRUNE_JOB)}/run`, { method: 'POST' });
    expect(pruned.status, pruned.text).to.equal(200);
    const left = await ownIds();
    expect(left, 'the expired issuer is kept while a token issued through it exists').to.include(parent.id);
    expect(left, 'kept').to.include(child.id);

    const rotated = await e2e.req(`${API}/user/token/${child.id}/rotate`, { method: 'POST', bearer: child.plainTextToken });
    expect(rotated.status, rotated.text).to.equal(200);
    e2e.issued.push(String(rotated.json.plainTextToken));
    expect(await ownIds()).to.include(child.id);
    expect(await works(String(rotated.json.plainTextToken))).to.equal(true);
  });
});
