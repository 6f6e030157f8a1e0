// A token made on the owner's behalf is held to the person who holds its secret (ISSUED_TO). That
// person can use the held token itself — which acts as the owner — to regenerate it, or to create
// another token for the owner: the service then sees the owner as the actor and records no holder,
// so the secret still in the holder's hands escapes the rank rule.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, type E2eEnv, type E2eUser, stopAndCheckLeaks } from './support/e2eHost';

const SETTINGS = `${API}/admin/settings`;

forEachDatabase('A held token used to issue a token for its owner', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  let serial = 0;
  const makeUser = async (groups: string[]): Promise<E2eUser> => {
    const name = `launder${++serial}`;
    const password = `${name}-pw-1`;
    const u = await e2e.host.runtime.users.createUser({ name, password, email: `${name}@example.com`, displayName: name, groups: ['jira-software-users', ...groups] });
    return { name, password, key: u.key, email: `${name}@example.com` };
  };
  const issued = (res: { status: number; text: string; json: { plainTextToken?: string } }) => {
    expect(res.status, res.text).to.equal(200);
    e2e.issued.push(res.json.plainTextToken as string);
    return res.json as { id: number; plainTextToken: string };
  };
  const createFor = async (by: E2eUser, forKey: string) =>
    issued(await e2e.req(`${API}/user/token`, { method: 'POST', auth: [by.name, by.password], body: { tokenForUserKey: forKey } }));
  const status = async (token: string, path = SETTINGS) => (await e2e.req(path, { bearer: token })).status;

  it('should keep a held token held when its holder regenerates it through itself', async () => {
    const owner = await makeUser([]);
    const held = await createFor(e2e.users.manager, owner.key);
    const laundered = issued(await e2e.req(`${API}/user/token/${held.id}/rotate`, { method: 'POST', bearer: held.plainTextToken, body: {} }));
    await e2e.host.runtime.users.addUserToGroup(owner.name, 'jira-administrators');
    expect(await status(laundered.plainTextToken), 'the manager\'s copy of a system admin\'s token').to.equal(401);
  });

  it('should hold a token created through a held token to the same holder', async () => {
    const owner = await makeUser([]);
    const held = await createFor(e2e.users.manager, owner.key);
    const minted = issued(await e2e.req(`${API}/user/token`, { method: 'POST', bearer: held.plainTextToken, body: {} }));
    await e2e.host.runtime.users.addUserToGroup(owner.name, 'jira-administrators');
    expect(await status(minted.plainTextToken), 'minted by the manager through the held token').to.equal(401);
  });
});
