// Revoking a token revokes what was issued through it. A thief with a stolen token could mint
// tokens through it (or regenerate the owner's other tokens through it, learning their new
// secrets) before the owner noticed; deleting the stolen token left all of those working, so
// "revoking a stolen token locks the thief out" did not hold. Every token now records the token
// its secret was issued through (ISSUED_VIA); deleting, bulk-deleting or revoking a token deletes
// those too, recursively, and refuses them on every node at once.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const MYSELF = '/rest/api/2/myself';

forEachDatabase('Revocation takes what was issued through a token with it', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  const through = async (bearer: string, path: string, body: Record<string, unknown> = {}) => {
    const res = await e2e.req(`${API}${path}`, { method: 'POST', bearer, body });
    expect(res.status, res.text).to.equal(200);
    e2e.issued.push(res.json.plainTextToken);
    return res.json as { id: number; plainTextToken: string };
  };
  const works = async (token: string) => (await e2e.req(MYSELF, { bearer: token })).status === 200;
  const reasons = async () => (await e2e.auditEvents('token.deleted')).map((ev) => Object.fromEntries(
    (ev.extraAttributes as Array<{ name: string; value: string }>).map((a) => [a.name, a.value])));

  it('should delete the tokens created and regenerated through a deleted token, and their offspring, and nothing else', async () => {
    const stolen = await e2e.createToken('alice', { tokenDescription: 'stolen' });
    const sibling = await e2e.createToken('alice', { tokenDescription: 'sibling', tokenValidityTimeInMonths: 6 });
    const unrelated = await e2e.createToken('alice', { tokenDescription: 'unrelated' });
    const minted = await through(stolen.plainTextToken, '/user/token', { tokenDescription: 'minted by the thief' });
    const grandchild = await through(minted.plainTextToken, '/user/token', { tokenDescription: 'minted through the minted one' });
    const regenerated = await through(stolen.plainTextToken, `/user/token/${sibling.id}/rotate`);
    for (const t of [stolen, minted, grandchild, regenerated]) expect(await works(t.plainTextToken)).to.equal(true);

    expect((await e2e.as('alice', `${API}/user/token/${stolen.id}`, { method: 'DELETE' })).status).to.equal(200);
    for (const [name, t] of Object.entries({ stolen, minted, grandchild, regenerated })) expect(await works(t.plainTextToken), name).to.equal(false);
    expect(await works(unrelated.plainTextToken), 'a token issued by password').to.equal(true);
    const byId = new Map((await reasons()).map((a) => [a.tokenId, a]));
    expect(byId.get(String(minted.id))?.revokedWithTokenId).to.equal(String(stolen.id));
    expect(byId.get(String(grandchild.id))?.revokedWithTokenId).to.equal(String(minted.id));
    expect(byId.get(String(sibling.id))?.revokedWithTokenId).to.equal(String(stolen.id));
    expect(byId.get(String(stolen.id))?.revokedWithTokenId).to.equal(undefined);
  });

  it('should keep a token tied to the token that issued it when it is regenerated through itself or through what it issued', async () => {
    const stolen = await e2e.createToken('alice', { tokenDescription: 'stolen (self-rotation)' });
    const minted = await through(stolen.plainTextToken, '/user/token', { tokenDescription: 'minted, then regenerated through itself' });
    const selfRegenerated = await through(minted.plainTextToken, `/user/token/${minted.id}/rotate`);
    const sibling = await e2e.createToken('alice', { tokenDescription: 'sibling', tokenValidityTimeInMonths: 6 });
    const once = await through(stolen.plainTextToken, `/user/token/${sibling.id}/rotate`);
    const twice = await through(once.plainTextToken, `/user/token/${sibling.id}/rotate`);
    expect((await e2e.as('alice', `${API}/user/token/${stolen.id}`, { method: 'DELETE' })).status).to.equal(200);
    expect(await works(selfRegenerated.plainTextToken), 'regenerated through itself').to.equal(false);
    expect(await works(twice.plainTextToken), 'regenerated through the stolen token, then through itself').to.equal(false);
  });

  it('should refuse to regenerate, through a token, a token issued through a third one (no cycle detaches them)', async () => {
    const stolen = await e2e.createToken('bob', { tokenDescription: 'stolen (cycle)' });
    const a = await through(stolen.plainTextToken, '/user/token', { tokenDescription: 'a' });
    const b = await through(stolen.plainTextToken, '/user/token', { tokenDescription: 'b' });
    const viaB = await e2e.req(`${API}/user/token/${a.id}/rotate`, { method: 'POST', bearer: b.plainTextToken });
    if (typeof viaB.json?.plainTextToken === 'string') e2e.issued.push(viaB.json.plainTextToken);
    expectError(viaB, 'TOKEN_PRIVILEGE_EXCEEDED');
    expect((await e2e.req(`${API}/tokens/revoke`, { method: 'POST', body: { tokens: [stolen.plainTextToken] } })).status).to.equal(202);
    expect(await works(a.plainTextToken), 'a').to.equal(false);
    expect(await works(b.plainTextToken), 'b').to.equal(false);
  });

  it('should record in the audit log the token a secret was issued through', async () => {
    const parent = await e2e.createToken('bob', { tokenDescription: 'parent' });
    const child = await through(parent.plainTextToken, '/user/token', { tokenDescription: 'child' });
    const created = (await e2e.auditEvents('token.created')).find((ev) => (ev.affectedObjects as Array<{ id: string }>)[0]?.id === String(child.id));
    const attributes = Object.fromEntries((created?.extraAttributes as Array<{ name: string; value: string }>).map((a) => [a.name, a.value]));
    expect(attributes.issuedViaTokenId).to.equal(String(parent.id));
  });

  it('should take them with it when the holder revokes the token through the revocation API', async () => {
    const leaked = await e2e.createToken('bob', { tokenDescription: 'leaked' });
    const minted = await through(leaked.plainTextToken, '/user/token', { tokenDescription: 'minted' });
    const res = await e2e.req(`${API}/tokens/revoke`, { method: 'POST', body: { tokens: [leaked.plainTextToken] } });
    expect(res.status).to.equal(202);
    expect(await works(minted.plainTextToken)).to.equal(false);
  });

  it('should take them with it in a bulk revoke, and count them', async () => {
    const leaked = await e2e.createToken('carol', { tokenDescription: 'leaked 2' });
    const minted = await through(leaked.plainTextToken, '/user/token', { tokenDescription: 'minted 2' });
    const res = await e2e.as('admin', `${API}/admin/tokens/delete`, { method: 'POST', body: { ids: [leaked.id] } });
    expect(res.status, res.text).to.equal(200);
    expect(res.json).to.deep.equal({ deleted: 2 });
    expect(await works(minted.plainTextToken)).to.equal(false);
  });

  it('should leave them when the owner regenerates the token (a rotation, not a revocation)', async () => {
    const parent = await e2e.createToken('carol', { tokenDescription: 'rotated by its owner' });
    const minted = await through(parent.plainTextToken, '/user/token', { tokenDescription: 'survives a rotation' });
    const rotated = await e2e.as('carol', `${API}/user/token/${parent.id}/rotate`, { method: 'POST' });
    expect(rotated.status).to.equal(200);
    e2e.issued.push(rotated.json.plainTextToken);
    expect(await works(minted.plainTextToken)).to.equal(true);
  });
});
