// Issue 12 B, "Find a leaked token": POST …/admin/tokens/lookup with a pasted plain token or a
// public id answers who owns it and how it was used; the secret is verified (a wrong one is the
// same 404 as an unknown token), the rank rules of the token service hold, restricted and sudo
// callers are refused, and every lookup is audited.
import { expect } from 'chai';
import { formatToken } from '../../../plugin/token/TokenFormat';
import { expectError } from '../../support/errorCodes';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const LOOKUP = `${API}/admin/tokens/lookup`;
const publicIdOf = (token: string) => token.slice('apitok_'.length, 'apitok_'.length + 12);
/** The same token with another (well-formed, checksummed) secret. */
function withOtherSecret(token: string): string {
  const secret = token.slice(20, 48);
  const flipped = (secret[0] === 'A' ? 'B' : 'A') + secret.slice(1);
  return formatToken(publicIdOf(token), flipped);
}
type Extra = Record<string, string>;
const extra = (event: Record<string, unknown>): Extra =>
  Object.fromEntries(((event.extraAttributes ?? []) as Array<{ name: string; value: string }>).map((a) => [a.name, a.value]));

forEachDatabase('token lookup for incident response (issue 12 B)', (kind) => {
  let e2e: E2eEnv;
  let alices: { id: number; plainTextToken: string };
  let admins: { id: number; plainTextToken: string };
  let userless: { id: number; plainTextToken: string };

  before(async function () {
    this.timeout(60_000);
    e2e = await startE2e('jira', kind);
    alices = await e2e.createToken('alice', { tokenDescription: 'leaked CI token', restrictions: '[GET].*/rest/api/2/.*', ipAllowlist: ['127.0.0.1', '::1'] });
    admins = await e2e.createToken('admin', { tokenDescription: 'admin token' });
    userless = await e2e.createToken('admin', { userless: true, tokenDescription: 'shared', restrictions: '[GET].*/rest/api/2/myself' });
    // One use, so that last access, last IP and the use count have something to show.
    expect((await e2e.req('/rest/api/2/myself', { bearer: alices.plainTextToken })).status).to.equal(200);
  });
  after(() => stopAndCheckLeaks(e2e));

  const lookup = (who: keyof E2eEnv['users'], body: unknown) => e2e.as(who, LOOKUP, { method: 'POST', body });

  it('should find a pasted token and show its owner, history and restrictions', async () => {
    const res = await lookup('admin', { token: alices.plainTextToken });
    expect(res.status, res.text).to.equal(200);
    const t = res.json;
    expect(t.id).to.equal(alices.id);
    expect(t.publicId).to.equal(publicIdOf(alices.plainTextToken));
    expect(t.owner).to.deep.include({ key: e2e.users.alice.key, name: 'alice' });
    expect(t.createdBy).to.deep.include({ key: e2e.users.alice.key, name: 'alice' });
    expect(t.description).to.equal('leaked CI token');
    expect(t.created).to.be.a('number');
    expect(t.validUntil).to.be.greaterThan(Date.now());
    expect(t.expired).to.equal(false);
    expect(t.lastAccessed).to.be.greaterThan(0);
    expect(t.lastAccessedFromIp).to.match(/127\.0\.0\.1|::1/);
    expect(t.useCount).to.equal(1);
    expect(t.restrictions.ipAllowlist).to.deep.equal(['127.0.0.1', '::1']);
    expect(t.restrictionsText).to.include('/rest/api/2/');
    expect(res.text).to.not.include(alices.plainTextToken.slice(20, 48));
    expect(res.text).to.not.match(/"(salt|hash)"/i);
  });

  it('should find a token by its public id, the same answer as by the token', async () => {
    const byId = await lookup('admin', { publicId: publicIdOf(alices.plainTextToken) });
    expect(byId.status, byId.text).to.equal(200);
    const byToken = await lookup('admin', { token: alices.plainTextToken });
    expect(byId.json).to.deep.equal(byToken.json);
  });

  it('should answer a wrong secret for an existing public id exactly like an unknown token', async () => {
    const unknownPublicId = 'ZZZZZZZZZZZZ';
    const answers = await Promise.all([
      lookup('admin', { token: withOtherSecret(alices.plainTextToken) }),
      lookup('admin', { token: `${alices.plainTextToken.slice(0, -1)}${alices.plainTextToken.endsWith('A') ? 'B' : 'A'}` }),
      lookup('admin', { token: withOtherSecret(`apitok_${unknownPublicId}_${'a'.repeat(28)}000000`) }),
      lookup('admin', { token: 'not a token at all' }),
      lookup('admin', { publicId: unknownPublicId }),
    ]);
    for (const res of answers) expectError(res, 'TOKEN_NOT_FOUND');
    expect(new Set(answers.map((r) => r.text)).size).to.equal(1);
  });

  it('should keep a system admin\'s and a user-less token from an on-behalf manager (404, as unknown)', async () => {
    expect((await lookup('manager', { token: alices.plainTextToken })).status).to.equal(200);
    for (const body of [{ token: admins.plainTextToken }, { publicId: publicIdOf(admins.plainTextToken) }, { token: userless.plainTextToken }, { publicId: publicIdOf(userless.plainTextToken) }]) {
      expectError(await lookup('manager', body), 'TOKEN_NOT_FOUND', JSON.stringify(Object.keys(body)));
    }
    const sysadmin = await lookup('admin', { token: userless.plainTextToken });
    expect(sysadmin.status).to.equal(200);
    expect(sysadmin.json.owner).to.equal(null);
    expect(sysadmin.json.userless).to.equal(true);
  });

  it('should refuse anonymous callers, users without the on-behalf permission, restricted tokens and sudo', async () => {
    expectError(await e2e.req(LOOKUP, { method: 'POST', body: { token: alices.plainTextToken } }), 'NOT_AUTHENTICATED');
    expectError(await lookup('bob', { token: alices.plainTextToken }), 'ON_BEHALF_REQUIRED');
    const restricted = await e2e.createToken('admin', { tokenDescription: 'ip-restricted', ipAllowlist: ['127.0.0.1', '::1'] });
    expectError(await e2e.req(LOOKUP, { method: 'POST', bearer: restricted.plainTextToken, body: { token: alices.plainTextToken } }), 'RESTRICTED_TOKEN_FORBIDDEN');
    const unrestricted = await e2e.createToken('admin', { tokenDescription: 'unrestricted' });
    expect((await e2e.req(LOOKUP, { method: 'POST', bearer: unrestricted.plainTextToken, body: { token: alices.plainTextToken } })).status).to.equal(200);
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: true } })).status).to.equal(200);
    const sudo = await e2e.createToken('admin', { tokenDescription: 'sudo', sudo: true });
    const asAlice = await e2e.req(LOOKUP, { method: 'POST', bearer: sudo.plainTextToken, headers: { 'X-Atlassian-Run-As': 'manager' }, body: { token: alices.plainTextToken } });
    expect(asAlice.status).to.equal(403);
  });

  it('should take the token only in the body: a query string or a bad body is a 400', async () => {
    const inQuery = await e2e.as('admin', `${LOOKUP}?token=${alices.plainTextToken}`, { method: 'POST', body: {} });
    expect(inQuery.status).to.equal(400);
    expect(inQuery.text).to.not.include(alices.plainTextToken);
    for (const body of [{}, { token: alices.plainTextToken, publicId: publicIdOf(alices.plainTextToken) }, { token: 7 }, { publicId: ['x'] }, { token: alices.plainTextToken, extra: 1 }, ['x']]) {
      expectError(await lookup('admin', body), 'VALIDATION_FAILED', JSON.stringify(body).slice(0, 40));
    }
  });

  it('should audit every lookup with the caller, the way it was looked up and the token found', async () => {
    await lookup('manager', { token: alices.plainTextToken });
    await lookup('manager', { token: withOtherSecret(alices.plainTextToken) });
    const events = await e2e.auditEvents('token.looked-up', 2);
    const byManager = events.filter((ev) => (ev.author as { name?: string } | null)?.name === 'manager');
    const found = byManager.find((ev) => extra(ev).found === 'true' && extra(ev).lookedUpBy === 'token');
    expect(found, JSON.stringify(byManager.slice(0, 2))).to.not.equal(undefined);
    expect(extra(found!).tokenId).to.equal(String(alices.id));
    expect(extra(found!).tokenForUserKey).to.equal(e2e.users.alice.key);
    const missed = byManager.find((ev) => extra(ev).found === 'false');
    expect(missed).to.not.equal(undefined);
    expect(extra(missed!).tokenId).to.equal(undefined);
    expect(JSON.stringify(events)).to.not.include(alices.plainTextToken.slice(20, 48));
  });
});
