// Websudo is asked only for administrative calls of administrators. A session's calls about its
// own tokens — an ordinary user's or an administrator's — run without it; a user without the
// permission gets the 403 of that permission (no password would help); a member of an on-behalf
// group who is no administrator is not asked, as the host does not ask them on the Token Manager
// page; and an id that names no token the caller may manage stays a 404 (ids do not leak) —
// for an administrator who may manage others' tokens, once the password is confirmed: before it,
// every id that is not one of their own tokens asks for it, whether a token has it or not.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { outcomeOf } from '../../support/errorCodes';
import type { TestRequestOptions } from '../../support/hostServer';
import { rememberSecrets, sessionOf } from './support/adminCalls';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

const API_TOKENS = '/rest/api-tokens/latest';

forEachDatabase('session calls that need no websudo', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  async function call(session: TestRequestOptions, method: string, path: string, body?: unknown): Promise<200 | string> {
    const res = await e2e.req(path, { ...session, method, ...(body === undefined ? {} : { body }) });
    rememberSecrets(e2e, res);
    if (typeof res.json?.token === 'string') e2e.issued.push(res.json.token);
    return outcomeOf(res);
  }

  async function ownTokenRound(user: 'alice' | 'admin'): Promise<Record<string, 200 | string>> {
    const session = await sessionOf(e2e, user);
    const created = await e2e.req(`${API}/user/token`, { ...session, method: 'POST', body: { tokenDescription: `${user} own`, tokenForUserKey: e2e.users[user].key } });
    rememberSecrets(e2e, created);
    const id = created.json?.id as number;
    const asp = await e2e.req(API_TOKENS, { ...session, method: 'POST', body: { label: `${user} second API` } });
    if (typeof asp.json?.token === 'string') e2e.issued.push(asp.json.token);
    return {
      create: outcomeOf(created),
      list: await call(session, 'GET', `${API}/user/token`),
      status: await call(session, 'GET', `${API}/user/token/status`),
      rename: await call(session, 'PATCH', `${API}/user/token/${id}`, { tokenDescription: `${user} renamed` }),
      snippets: await call(session, 'GET', `${API}/user/token/${id}/snippets`),
      regenerate: await call(session, 'POST', `${API}/user/token/${id}/rotate`),
      delete: await call(session, 'DELETE', `${API}/user/token/${id}`),
      secondApiCreate: outcomeOf(asp),
      secondApiList: await call(session, 'GET', API_TOKENS),
      secondApiDelete: await call(session, 'DELETE', `${API_TOKENS}/${String(asp.json?.id)}`),
    };
  }

  const allOk = { create: 200, list: 200, status: 200, rename: 200, snippets: 200, regenerate: 200, delete: 200, secondApiCreate: 200, secondApiList: 200, secondApiDelete: 200 };

  it('should let an ordinary user manage their own tokens by session', async () => {
    expect(await ownTokenRound('alice')).to.deep.equal(allOk);
  });

  it('should let an administrator manage their own tokens by session without websudo', async () => {
    expect(await ownTokenRound('admin')).to.deep.equal(allOk);
  });

  it('should answer a user without the permission with its 403, not with WEBSUDO_REQUIRED', async () => {
    const session = await sessionOf(e2e, 'alice');
    expect(await call(session, 'GET', `${API}/admin/settings`)).to.equal('SYSADMIN_REQUIRED');
    expect(await call(session, 'GET', `${API}/user/tokensByFilter`)).to.equal('ON_BEHALF_REQUIRED');
    expect(await call(session, 'POST', `${API}/user/token`, { tokenForUserKey: e2e.users.bob.key })).to.equal('ON_BEHALF_REQUIRED');
  });

  it('should not ask a member of an on-behalf group who is no administrator, as the Token Manager page does not', async () => {
    const session = await sessionOf(e2e, 'manager');
    expect(await call(session, 'GET', `${API}/user/tokensByFilter`)).to.equal(200);
  });

  it('should ask an administrator\'s session for websudo for an id that names no token, as for another user\'s, then answer 404', async () => {
    // Before the disclosure review (2026-12-04) this was a 404 at once, while another user's token
    // id asked for websudo: a session without the password told existing ids from missing ones.
    const session = await sessionOf(e2e, 'admin');
    expect(await call(session, 'DELETE', `${API}/user/token/987654`)).to.equal('WEBSUDO_REQUIRED');
    const confirmed = { ...session, cookie: await e2e.webSudoSession('admin') };
    expect(await call(confirmed, 'DELETE', `${API}/user/token/987654`)).to.equal('TOKEN_NOT_FOUND');
  });
});
