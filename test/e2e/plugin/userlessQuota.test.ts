// maxTokensPerUser holds every user's creates, on both APIs and on behalf of others; user-less
// tokens, which have no owner, had no quota at all: one system admin (or a sudo token of theirs)
// made any number. They count against their creator's quota, with the tokens the creator owns.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

forEachDatabase('user-less tokens and maxTokensPerUser', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  it('should refuse user-less tokens beyond maxTokensPerUser with 409', async () => {
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { maxTokensPerUser: 2 } })).status).to.equal(200);
    const outcomes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await e2e.as('admin', `${API}/user/token`, { method: 'POST', body: { userless: true, tokenDescription: `shared ${i}`, ipAllowlist: ['127.0.0.1'] } });
      if (res.json?.plainTextToken) e2e.issued.push(res.json.plainTextToken);
      outcomes.push(res.status);
    }
    expect(outcomes).to.deep.equal([200, 200, 409]);
    // The creator's own tokens share the quota.
    // 409: TOO_MANY_TOKENS (its message names the quota, so the status is compared).
    expect((await e2e.as('admin', `${API}/user/token`, { method: 'POST', body: { tokenDescription: 'own' } })).status, 'own token beyond the quota').to.equal(409);
    // Another user's quota is their own.
    const bobs = await e2e.as('bob', `${API}/user/token`, { method: 'POST', body: { tokenDescription: 'bob' } });
    if (bobs.json?.plainTextToken) e2e.issued.push(bobs.json.plainTextToken);
    expect(bobs.status).to.equal(200);
  });
});
