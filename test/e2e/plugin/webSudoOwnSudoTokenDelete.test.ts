// Deleting one's own sudo token is administrative on every endpoint that does it. A system
// administrator's cookie session without a websudo window gets 401 WEBSUDO_REQUIRED from
// `DELETE /user/token/{id}`, `DELETE /rest/api-tokens/{asp_ id}` and `DELETE /rest/api-tokens/all`
// (while a sudo token is among the caller's tokens), and nothing is deleted; inside the window
// each runs. Without a sudo token, deleting all of one's own tokens needs no websudo.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { prepareAdminCalls, sessionOf } from './support/adminCalls';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

const API_TOKENS = '/rest/api-tokens/latest';

interface OwnToken { readonly id: number; readonly stringId: string; readonly plainText: string }

forEachDatabase('deleting one\'s own sudo token by session', (kind) => {
  let e2e: E2eEnv;
  before(async () => {
    e2e = await startE2e('jira', kind);
    await prepareAdminCalls(e2e);
  });
  after(() => stopAndCheckLeaks(e2e));

  /** The `asp_` id of the token labelled `label` among the tokens of the user `auth` names (password). */
  async function stringIdOf(auth: [string, string], label: string): Promise<string> {
    const list = await e2e.req(API_TOKENS, { auth });
    const item = (list.json as Array<{ id: string; label: string }>).find((t) => t.label === label);
    expect(item, label).to.not.equal(undefined);
    return item!.id;
  }

  /** A token of the admin's, made with the password: its numeric id, its `asp_` id and its secret. */
  async function adminToken(label: string, sudo: boolean): Promise<OwnToken> {
    const created = await e2e.createToken('admin', { tokenDescription: label, ...(sudo ? { sudo: true } : {}) });
    return { id: created.id, stringId: await stringIdOf(['admin', e2e.users.admin.password], label), plainText: created.plainTextToken };
  }
  const statusWith = async (plainText: string): Promise<number> => (await e2e.req('/rest/api/2/myself', { bearer: plainText })).status;

  const deletions: ReadonlyArray<{ name: string; path: (t: OwnToken) => string; ok: number; all?: true }> = [
    { name: 'DELETE /user/token/{id}', path: (t) => `${API}/user/token/${t.id}`, ok: 200 },
    { name: 'DELETE /rest/api-tokens/{asp_ id}', path: (t) => `${API_TOKENS}/${t.stringId}`, ok: 204 },
    // Another spelling express routes the same way: the gate sits on the route, not on the text.
    { name: 'DELETE /rest/api-tokens/1.0/{asp_ id}/', path: (t) => `/rest/api-tokens/1.0/${t.stringId}/`, ok: 204 },
    { name: 'DELETE /rest/api-tokens/all', path: () => `${API_TOKENS}/all`, ok: 204, all: true },
    { name: 'DELETE /rest/api-tokens/1.0/ALL/', path: () => '/rest/api-tokens/1.0/ALL/', ok: 204, all: true },
  ];
  for (const d of deletions) {
    it(`should refuse ${d.name} of an own sudo token without a websudo window, delete nothing, and run it inside the window`, async () => {
      const token = await adminToken(`sudo for ${d.name}`, true);
      const plain = await adminToken(`plain beside ${d.name}`, false);
      const session = await sessionOf(e2e, 'admin');
      expectError(await e2e.req(d.path(token), { ...session, method: 'DELETE' }), 'WEBSUDO_REQUIRED', d.name);
      expect(await statusWith(token.plainText), 'the sudo token still works').to.equal(200);
      expect(await statusWith(plain.plainText), 'the plain token still works').to.equal(200);
      await e2e.host.enterWebSudo(session.cookie, e2e.users.admin.password);
      const res = await e2e.req(d.path(token), { ...session, method: 'DELETE' });
      expect(res.status, res.text).to.equal(d.ok);
      expect(await statusWith(token.plainText), 'deleted').to.equal(401);
      expect(await statusWith(plain.plainText), 'the plain token').to.equal(d.all ? 401 : 200);
      // Leave no token of the admin's behind for the next case.
      expect((await e2e.as('admin', `${API_TOKENS}/all`, { method: 'DELETE' })).status).to.equal(204);
    });
  }

  it('should answer 404 for another system administrator\'s sudo token by its asp_ id, not WEBSUDO_REQUIRED (ids do not leak)', async () => {
    await e2e.host.runtime.users.createUser({ name: 'root2', password: 'root2-pw-1', email: 'root2@example.com', displayName: 'ROOT2', groups: ['jira-administrators'] });
    const created = await e2e.req(`${API}/user/token`, { method: 'POST', auth: ['root2', 'root2-pw-1'], body: { tokenDescription: 'root2 sudo', sudo: true } });
    expect(created.status, created.text).to.equal(200);
    e2e.issued.push(created.json.plainTextToken);
    const stringId = await stringIdOf(['root2', 'root2-pw-1'], 'root2 sudo');
    const session = await sessionOf(e2e, 'admin');
    expectError(await e2e.req(`${API_TOKENS}/${stringId}`, { ...session, method: 'DELETE' }), 'TOKEN_NOT_FOUND');
    expect(await statusWith(created.json.plainTextToken), 'root2\'s sudo token still works').to.equal(200);
  });

  it('should delete all of a session\'s own tokens without websudo while none of them is a sudo token', async () => {
    expect((await e2e.as('admin', `${API_TOKENS}/all`, { method: 'DELETE' })).status).to.equal(204);
    const plain = await adminToken('plain token of the admin', false);
    const session = await sessionOf(e2e, 'admin');
    expect((await e2e.req(`${API_TOKENS}/all`, { ...session, method: 'DELETE' })).status).to.equal(204);
    expect(await statusWith(plain.plainText)).to.equal(401);
  });

  it('should delete an own token that is no sudo token by its asp_ id without websudo', async () => {
    await adminToken('sudo token kept', true);
    const plain = await adminToken('second plain token of the admin', false);
    const session = await sessionOf(e2e, 'admin');
    expect((await e2e.req(`${API_TOKENS}/${plain.stringId}`, { ...session, method: 'DELETE' })).status).to.equal(204);
    expect(await statusWith(plain.plainText)).to.equal(401);
  });
});
