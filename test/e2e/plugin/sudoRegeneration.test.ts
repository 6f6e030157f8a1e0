// A new secret of a sudo token through a token: only by a sudo token while sudoTokensAllowed is
// on, as for creating one. A sudo token kept from before the setting was switched off handed out
// new secrets of another system admin's sudo token (whose own secret then stopped working) and of
// itself; a password or a session still regenerates it.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

forEachDatabase('Regenerating a sudo token through a token', (kind) => {
  let e2e: E2eEnv;
  let sudo: { id: number; plainTextToken: string };
  let rootSudo: { id: number; plainTextToken: string };
  const allow = async (on: boolean) => {
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: on } })).status).to.equal(200);
  };
  const keep = <T extends { status: number; json: Record<string, unknown> }>(res: T): T => {
    if (res.status === 200 && typeof res.json?.plainTextToken === 'string') e2e.issued.push(res.json.plainTextToken);
    return res;
  };
  const works = async (token: string) => (await e2e.req('/rest/api/2/myself', { bearer: token })).status === 200;

  before(async () => {
    e2e = await startE2e('jira', kind);
    await e2e.host.runtime.users.createUser({
      name: 'root6', password: 'root6-pw-1', email: 'root6@example.com', displayName: 'ROOT6', groups: ['jira-administrators', 'jira-software-users'],
    });
    await allow(true);
    sudo = await e2e.createToken('admin', { tokenDescription: 'support, kept from before the switch', sudo: true });
    const root = keep(await e2e.req(`${API}/user/token`, { method: 'POST', auth: ['root6', 'root6-pw-1'], body: { tokenDescription: 'root6 sudo', sudo: true, tokenValidityTimeInMonths: 1 } }));
    expect(root.status, root.text).to.equal(200);
    rootSudo = { id: Number(root.json.id), plainTextToken: String(root.json.plainTextToken) };
  });
  after(() => stopAndCheckLeaks(e2e));

  it('should refuse a sudo token a new secret of another system admin\'s sudo token, or of itself, while sudo tokens are not allowed', async () => {
    await allow(false);
    expectError(keep(await e2e.req(`${API}/user/token/${rootSudo.id}/rotate`, { method: 'POST', bearer: sudo.plainTextToken })), 'TOKEN_PRIVILEGE_EXCEEDED', 'another admin\'s');
    expect(await works(rootSudo.plainTextToken), 'its secret unchanged').to.equal(true);
    expectError(keep(await e2e.req(`${API}/user/token/${sudo.id}/rotate`, { method: 'POST', bearer: sudo.plainTextToken })), 'TOKEN_PRIVILEGE_EXCEEDED', 'itself');
    expect(await works(sudo.plainTextToken)).to.equal(true);
    const byPassword = keep(await e2e.as('admin', `${API}/user/token/${sudo.id}/rotate`, { method: 'POST' }));
    expect(byPassword.status, 'its owner, with a password').to.equal(200);
    sudo = { id: sudo.id, plainTextToken: String(byPassword.json.plainTextToken) };
  });

  it('should let a sudo token regenerate one while sudo tokens are allowed', async () => {
    await allow(true);
    const own = keep(await e2e.req(`${API}/user/token/${sudo.id}/rotate`, { method: 'POST', bearer: sudo.plainTextToken }));
    expect(own.status, own.text).to.equal(200);
    expect(await works(String(own.json.plainTextToken))).to.equal(true);
  });
});
