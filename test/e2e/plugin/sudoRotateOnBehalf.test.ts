// A sudo token is created by a system admin for their own account only
// (another tokenForUserKey → 400 on field sudo), because every request it runs as someone else is
// audited under its owner's name. Regenerating another system admin's sudo token hands its new
// secret to the caller, who then runs requests as other users in the owner's name: refused as
// creating one for them is, and nothing changes (the owner's secret keeps working).
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

const MYSELF = '/rest/api/2/myself';

forEachDatabase('regenerating another system admin\'s sudo token', (kind) => {
  let e2e: E2eEnv;
  before(async () => {
    e2e = await startE2e('jira', kind);
    await e2e.host.runtime.users.createUser({ name: 'sys2', password: 'sys2-pw-1', email: 'sys2@example.com', displayName: 'SYS2', groups: ['jira-software-users', 'jira-administrators'] });
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: true } })).status).to.equal(200);
  });
  after(() => stopAndCheckLeaks(e2e));

  it('should refuse creating a sudo token for another system admin (the rule the regeneration must match)', async () => {
    const res = await e2e.req(`${API}/user/token`, { method: 'POST', auth: ['sys2', 'sys2-pw-1'], body: { sudo: true, tokenForUserKey: e2e.users.admin.key } });
    if (res.json?.plainTextToken) e2e.issued.push(res.json.plainTextToken);
    expect(res.status).to.equal(400);
    expect(res.json.errors).to.have.property('sudo');
  });

  it('should refuse regenerating another system admin\'s sudo token with a password: 403 on field sudo, no secret, the owner\'s secret still works', async () => {
    const sudo = await e2e.createToken('admin', { tokenDescription: 'admin sudo', sudo: true });
    const rotated = await e2e.req(`${API}/user/token/${sudo.id}/rotate`, { method: 'POST', auth: ['sys2', 'sys2-pw-1'] });
    if (rotated.json?.plainTextToken) e2e.issued.push(rotated.json.plainTextToken);
    expectError(rotated, 'FORBIDDEN', 'rotate another admin\'s sudo token');
    expect(rotated.json.errors).to.have.property('sudo');
    expect(rotated.text).not.to.include('apitok_');
    const asAlice = await e2e.req(MYSELF, { bearer: sudo.plainTextToken, headers: { 'X-Atlassian-Run-As': 'alice' } });
    expect(asAlice.status).to.equal(200);
    expect(asAlice.json.name).to.equal('alice');
  });

  it('should still let the owner regenerate their own sudo token', async () => {
    const sudo = await e2e.createToken('admin', { tokenDescription: 'admin sudo 2', sudo: true });
    const rotated = await e2e.as('admin', `${API}/user/token/${sudo.id}/rotate`, { method: 'POST' });
    if (rotated.json?.plainTextToken) e2e.issued.push(rotated.json.plainTextToken);
    expect(rotated.status).to.equal(200);
  });
});
