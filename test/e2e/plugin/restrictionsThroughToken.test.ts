// Through a token, a restricted token's restrictions are never lifted or replaced (docs/api.md
// "What a token may do"). They used to be, once the restricted token no longer outlived the
// caller — and any token may first move another's expiry down to its own. A thief holding a
// short-lived token of the owner thus widened a long-lived restricted CI token, and the widening
// outlived the revocation of the stolen token (nothing links the two).
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const MYSELF = '/rest/api/2/myself';
const ONLY_ISSUE = { rules: [{ urlPattern: '/rest/api/2/issue/TEST-1', method: 'GET' }] };

forEachDatabase('Restrictions changed through a token', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  const patch = (id: number, bearer: string, body: Record<string, unknown>) => e2e.req(`${API}/user/token/${id}`, { method: 'PATCH', bearer, body });
  const status = async (token: string) => (await e2e.req(MYSELF, { bearer: token })).status;

  it('should refuse to lift or replace a restricted token\'s restrictions through a token, also one the token does not outlive', async () => {
    const narrow = await e2e.createToken('alice', { tokenDescription: 'ci: read TEST-1', restrictions: ONLY_ISSUE, tokenValidityTimeInMonths: 12 });
    const stolen = await e2e.createToken('alice', { tokenDescription: 'laptop', tokenValidityTimeInMonths: 2 });
    const shortened = await patch(narrow.id, stolen.plainTextToken, { tokenExpirationDateTimeMillis: stolen.tokenExpirationDateTimeMillis });
    expect(shortened.status, 'moving an expiry earlier stays allowed').to.equal(200);
    for (const body of [{ restrictions: null }, { restrictions: '.*' }, { ipAllowlist: ['0.0.0.0/0'] }, { restrictions: ONLY_ISSUE, ipAllowlist: ['127.0.0.1'] }]) {
      expectError(await patch(narrow.id, stolen.plainTextToken, body), 'TOKEN_PRIVILEGE_EXCEEDED', JSON.stringify(body));
    }
    expect(await status(narrow.plainTextToken), 'still restricted').to.equal(403);
    expect((await e2e.as('alice', `${API}/user/token/${stolen.id}`, { method: 'DELETE' })).status).to.equal(200);
    expect(await status(narrow.plainTextToken), 'still restricted after the stolen token is gone').to.equal(403);
  });

  it('should let a token give an unrestricted token restrictions, and a password lift them', async () => {
    const open = await e2e.createToken('bob', { tokenDescription: 'to be narrowed', tokenValidityTimeInMonths: 1 });
    const caller = await e2e.createToken('bob', { tokenDescription: 'automation', tokenValidityTimeInMonths: 2 });
    const narrowed = await patch(open.id, caller.plainTextToken, { restrictions: ONLY_ISSUE });
    expect(narrowed.status, narrowed.text).to.equal(200);
    expect(await status(open.plainTextToken)).to.equal(403);
    const lifted = await e2e.as('bob', `${API}/user/token/${open.id}`, { method: 'PATCH', body: { restrictions: null } });
    expect(lifted.status, lifted.text).to.equal(200);
    expect(await status(open.plainTextToken)).to.equal(200);
  });
});
