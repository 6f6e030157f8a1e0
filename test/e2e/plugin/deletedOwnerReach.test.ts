// Identity review 2026-12-05: when a user is deleted, their tokens through which other tokens were
// issued are kept (what was issued through them must still name its origin). Rank came from the
// owner's group memberships, and a deleted user has none, so a deleted system admin's kept token
// ranked as a plain user's: an on-behalf manager could regenerate it, delete it — and with it every
// token issued through it, whoever owns those — look it up and bulk-delete it. An owner the
// directory no longer has is now out of reach for everyone but system admins. (The listing still
// shows such a token to a manager: its query cannot tell a deleted owner; docs/security.md.)
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

forEachDatabase('Tokens of a deleted owner kept for what was issued through them', (kind) => {
  let e2e: E2eEnv;
  let kept: { id: number; plainTextToken: string };
  let issued: { id: number };
  before(async function () {
    this.timeout(60_000);
    e2e = await startE2e('jira', kind);
    const users = e2e.host.runtime.users;
    await users.createUser({ name: 'sven', password: 'sven-pw-1', email: 'sven@example.com', displayName: 'Sven', groups: ['jira-software-users', 'jira-administrators'] });
    const made = await e2e.req(`${API}/user/token`, { method: 'POST', auth: ['sven', 'sven-pw-1'], body: { tokenDescription: 'sven automation' } });
    expect(made.status, made.text).to.equal(200);
    kept = made.json;
    e2e.issued.push(kept.plainTextToken);
    const through = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: kept.plainTextToken, body: { tokenDescription: 'for carol', tokenForUserKey: e2e.users.carol.key } });
    expect(through.status, through.text).to.equal(200);
    issued = through.json;
    e2e.issued.push(through.json.plainTextToken);
    expect(await users.deleteUser('sven')).to.equal(true);
    // The user-deleted listener prunes what nothing was issued through; this one stays.
    expect(await idsListedTo('admin', 'sven'), 'kept').to.deep.equal([kept.id]);
  });
  after(() => stopAndCheckLeaks(e2e));

  const idsListedTo = async (user: 'admin' | 'manager', description: string): Promise<number[]> => {
    const res = await e2e.as(user, `${API}/user/tokensByFilter?descriptionFilter=${encodeURIComponent(description)}`);
    expect(res.status, res.text).to.equal(200);
    return (res.json.content as Array<{ id: number }>).map((t) => t.id);
  };

  it('should answer an on-behalf manager 404 for the token, and let it change nothing', async () => {
    expect((await e2e.as('manager', `${API}/user/token/${kept.id}`, { method: 'PATCH', body: { tokenDescription: 'mine now' } })).status, 'change').to.equal(404);
    expect((await e2e.as('manager', `${API}/user/token/${kept.id}/rotate`, { method: 'POST', body: {} })).status, 'regenerate').to.equal(404);
    expect((await e2e.as('manager', `${API}/user/token/${kept.id}`, { method: 'DELETE' })).status, 'delete').to.equal(404);
    expect((await e2e.as('manager', `${API}/admin/tokens/lookup`, { method: 'POST', body: { token: kept.plainTextToken } })).status, 'lookup').to.equal(404);
    const bulk = await e2e.as('manager', `${API}/admin/tokens/delete`, { method: 'POST', body: { ids: [kept.id] } });
    expect(bulk.json, 'bulk delete by id').to.deep.equal({ deleted: 0 });
    const byFilter = await e2e.as('manager', `${API}/admin/tokens/delete`, { method: 'POST', body: { filter: { descriptionFilter: 'sven automation' } } });
    expect(byFilter.json, 'bulk delete by filter').to.deep.equal({ deleted: 0 });
    expect(await idsListedTo('admin', 'sven'), 'still there').to.deep.equal([kept.id]);
    expect(await idsListedTo('admin', 'for carol'), 'what was issued through it is still there').to.deep.equal([issued.id]);
  });

  it('should leave it to a system admin', async () => {
    expect(await idsListedTo('admin', 'sven')).to.deep.equal([kept.id]);
    expect((await e2e.as('admin', `${API}/user/token/${kept.id}`, { method: 'DELETE' })).status).to.be.oneOf([200, 204]);
    expect(await idsListedTo('admin', 'for carol'), 'deleted with it').to.deep.equal([]);
  });
});
