// A thief holding a leaked token regenerates it through itself before a secret scanner reports
// the leak: the reported secret named no token any more, so the revocation API did nothing and
// the lookup said "not found", while the thief's new secret worked on. A secret replaced through
// a token is now kept (as a salted hash) for as long as its token exists, and both find the token
// by it; one replaced by the owner's password or session is not (the owner acted on purpose).
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const REVOKE = `${API}/tokens/revoke`;
const LOOKUP = `${API}/admin/tokens/lookup`;
const publicIdOf = (plain: string) => plain.slice(7, 19);

forEachDatabase('Revoking a token by a secret a thief replaced', (kind) => {
  let e2e: E2eEnv;
  let ipCounter = 0;

  before(async () => {
    // The test client is the trusted proxy: each revocation comes from an IP of its own (per-IP throttle).
    e2e = await startE2e('jira', kind, { HOSTSIM_SYSPROPS: 'hostsim.trusted.proxies=127.0.0.1' });
  });
  after(() => stopAndCheckLeaks(e2e));

  const revoke = (tokens: string[]) => e2e.req(REVOKE, { method: 'POST', body: { tokens }, headers: { 'X-Forwarded-For': `198.51.100.${++ipCounter}` } });
  const works = async (token: string) => (await e2e.req('/rest/api/2/myself', { bearer: token })).status === 200;
  /** Regenerates token `id` through `bearer`; returns the new secret. */
  const regenerateThrough = async (id: number, bearer: string): Promise<string> => {
    const res = await e2e.req(`${API}/user/token/${id}/rotate`, { method: 'POST', bearer });
    expect(res.status, res.text).to.equal(200);
    const plain = String(res.json.plainTextToken);
    e2e.issued.push(plain);
    return plain;
  };

  it('should revoke the token, and what the thief minted through it, by the leaked secret after two regenerations through itself', async () => {
    const leaked = await e2e.createToken('alice', { tokenDescription: 'pushed to a public repository' });
    const first = await regenerateThrough(leaked.id, leaked.plainTextToken);
    const second = await regenerateThrough(leaked.id, first);
    const minted = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: second, body: { tokenDescription: 'thief\'s spare' } });
    expect(minted.status, minted.text).to.equal(200);
    e2e.issued.push(String(minted.json.plainTextToken));
    expect(await works(leaked.plainTextToken), 'a retired secret never authenticates').to.equal(false);
    expect(await works(second)).to.equal(true);

    expect((await revoke([leaked.plainTextToken])).status).to.equal(202);
    expect(await works(second), 'the thief\'s current secret').to.equal(false);
    expect(await works(String(minted.json.plainTextToken)), 'minted through it').to.equal(false);
    const left = (await e2e.as('alice', `${API}/user/token`)).json as Array<{ id: number }>;
    expect(left.map((t) => t.id)).to.not.include(leaked.id).and.to.not.include(minted.json.id);
    const events = await e2e.auditEvents('token.revoked', 2);
    const attrs = (ev: Record<string, unknown>) => Object.fromEntries(((ev.extraAttributes ?? []) as Array<{ name: string; value: string }>).map((a) => [a.name, a.value]));
    const own = events.map(attrs).find((a) => a.tokenId === String(leaked.id));
    expect(own?.matchedRetiredSecret).to.equal('true');
  });

  it('should name the token by a replaced secret or its old public id in the lookup', async () => {
    const leaked = await e2e.createToken('bob', { tokenDescription: 'in a CI log' });
    const current = await regenerateThrough(leaked.id, leaked.plainTextToken);
    for (const key of [{ token: leaked.plainTextToken }, { publicId: publicIdOf(leaked.plainTextToken) }]) {
      const found = await e2e.as('admin', LOOKUP, { method: 'POST', body: key });
      expect(found.status, `${Object.keys(key)[0]}: ${found.text}`).to.equal(200);
      expect(found.json.id).to.equal(leaked.id);
      expect(found.json.publicId, 'the current public id').to.equal(publicIdOf(current));
      expect(found.json.matchedRetiredSecret).to.equal(true);
    }
    const byCurrent = await e2e.as('admin', LOOKUP, { method: 'POST', body: { token: current } });
    expect(byCurrent.json.matchedRetiredSecret).to.equal(false);
    const wrong = `${leaked.plainTextToken.slice(0, 20)}${'A'.repeat(leaked.plainTextToken.length - 20)}`;
    expect((await e2e.as('admin', LOOKUP, { method: 'POST', body: { token: wrong } })).status, 'a wrong secret under the old public id').to.equal(404);
  });

  it('should leave a token its owner regenerated with a password alone when the replaced secret is presented', async () => {
    const old = await e2e.createToken('carol', { tokenDescription: 'rotated by its owner' });
    const res = await e2e.as('carol', `${API}/user/token/${old.id}/rotate`, { method: 'POST' });
    expect(res.status, res.text).to.equal(200);
    const current = String(res.json.plainTextToken);
    e2e.issued.push(current);
    expect((await revoke([old.plainTextToken])).status).to.equal(202);
    expect(await works(current)).to.equal(true);
    expect((await e2e.as('admin', LOOKUP, { method: 'POST', body: { token: old.plainTextToken } })).status).to.equal(404);
  });
});
