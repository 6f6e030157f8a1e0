// A read-only token may read and create read-only tokens — its owner's.
// Creating a token for another user (or a user-less one) is managing someone else's credentials,
// and the new token reads as that user: through a read-only token it is as refused as rotating,
// editing or deleting another user's token is (403 SCOPE_TOO_WEAK), and nothing is stored.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

const MYSELF = '/rest/api/2/myself';

forEachDatabase('a read-only token and other users\' tokens', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  const keep = (res: { json?: { plainTextToken?: string } }) => { if (res.json?.plainTextToken) e2e.issued.push(res.json.plainTextToken); };
  const bobTokens = async () => ((await e2e.as('bob', `${API}/user/token`)).json as unknown[]).length;

  it('should refuse a manager\'s read-only token that creates a token for another user: 403, nothing stored', async () => {
    const readOnly = await e2e.createToken('manager', { tokenDescription: 'read-only reporting', tokenScope: 1 });
    // The manager's read-only token reads as the manager…
    expect((await e2e.req(MYSELF, { bearer: readOnly.plainTextToken })).json.name).to.equal('manager');
    const before = await bobTokens();
    for (const body of [{ tokenForUserKey: e2e.users.bob.key }, { tokenForUserKey: e2e.users.bob.key, tokenScope: 1 }]) {
      const res = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: readOnly.plainTextToken, body });
      keep(res);
      // …and must not turn into a credential that reads as bob.
      expectError(res, 'SCOPE_TOO_WEAK', JSON.stringify(body));
    }
    expect(await bobTokens()).to.equal(before);
  });

  it('should still let a read-only token create a read-only token for its own owner', async () => {
    const readOnly = await e2e.createToken('manager', { tokenDescription: 'read-only own', tokenScope: 1 });
    const own = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: readOnly.plainTextToken, body: { tokenForUserKey: e2e.users.manager.key } });
    keep(own);
    expect(own.status).to.equal(200);
    expect(own.json.tokenScope).to.equal(1);
    const implicit = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: readOnly.plainTextToken, body: {} });
    keep(implicit);
    expect(implicit.status).to.equal(200);
  });

  it('should refuse a system admin\'s read-only sudo token that creates a user-less token: 403', async () => {
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: true } })).status).to.equal(200);
    try {
      const sudo = await e2e.createToken('admin', { tokenDescription: 'read-only sudo', sudo: true, tokenScope: 1 });
      const res = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: sudo.plainTextToken, body: { userless: true, ipAllowlist: ['127.0.0.1'] } });
      keep(res);
      expectError(res, 'SCOPE_TOO_WEAK', 'userless through a read-only token');
    } finally {
      await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: false } });
    }
  });
});
