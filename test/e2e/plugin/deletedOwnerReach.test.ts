// Identity review 2026-12-05: when a user is deleted, their tokens through which other tokens were
// issued are kept (what was issued through them must still name its origin). Rank came from the
// owner's group memberships, and a deleted user has none, so a deleted system admin's kept token
// ranked as a plain user's: an on-behalf manager could regenerate it, delete it — and with it every
// token issued through it, whoever owns those — look it up and bulk-delete it. An owner the
// directory no longer has is now out of reach for everyone but system admins. The listing and its
// CSV still showed such a token to a manager (description, dates, last IP): their query could not
// tell a deleted owner. The pruner now marks the tokens of a deleted owner (OWNER_GONE) before it
// deletes those nothing was issued through, and a manager's query leaves marked tokens out.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const PLUGIN_KEY = 'de.resolution.apitokenauth';
const PRUNE_JOB = `${PLUGIN_KEY}:token-prune-job`;

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

  /** Neither a filter, a total, an order, a page nor the CSV of a manager names or counts `id`. */
  const expectHiddenFromManager = async (id: number) => {
    const everyone = (await e2e.as('admin', `${API}/user/tokensByFilter?limit=100`)).json;
    expect((everyone.content as Array<{ id: number }>).map((t) => t.id), 'an admin lists it').to.include(id);
    for (const query of ['limit=100', 'sort=user&order=asc&limit=100', 'sort=user&order=desc&limit=100', 'sort=description&limit=100', 'descriptionFilter=automation']) {
      const page = await e2e.as('manager', `${API}/user/tokensByFilter?${query}`);
      expect(page.status, page.text).to.equal(200);
      const ids = (page.json.content as Array<{ id: number }>).map((t) => t.id);
      expect(ids, query).to.not.include(id);
      if (!query.startsWith('description')) expect(page.json.total, `${query}: total`).to.equal(ids.length);
    }
    const all = (await e2e.as('manager', `${API}/user/tokensByFilter?limit=100`)).json;
    expect(all.total, 'one fewer than an admin sees (besides the admins\' and user-less tokens)').to.be.lessThan(everyone.total);
    const csv = await e2e.as('manager', `${API}/user/tokensByFilter?format=csv`);
    expect(csv.status).to.equal(200);
    const csvIds = csv.text.trim().split('\r\n').slice(1).map((line) => Number(line.split(',')[0]));
    expect(csvIds, 'CSV').to.not.include(id);
  };

  it('should leave it out of an on-behalf manager\'s listing, totals, orders and CSV', async () => {
    await expectHiddenFromManager(kept.id);
  });

  it('should leave it out of a manager\'s listing once the daily run found the owner gone, when no node saw the user deleted', async function () {
    this.timeout(60_000);
    const users = e2e.host.runtime.users;
    await users.createUser({ name: 'tove', password: 'tove-pw-1', email: 'tove@example.com', displayName: 'Tove', groups: ['jira-software-users', 'jira-administrators'] });
    const made = await e2e.req(`${API}/user/token`, { method: 'POST', auth: ['tove', 'tove-pw-1'], body: { tokenDescription: 'tove automation' } });
    expect(made.status, made.text).to.equal(200);
    e2e.issued.push(made.json.plainTextToken);
    const through = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: made.json.plainTextToken, body: { tokenDescription: 'minted by tove', tokenForUserKey: e2e.users.carol.key } });
    expect(through.status, through.text).to.equal(200);
    e2e.issued.push(through.json.plainTextToken);
    // Deleted while the plugin was off: no node heard the user-deleted event.
    await e2e.host.setPluginEnabled(PLUGIN_KEY, false);
    try {
      expect(await users.deleteUser('tove')).to.equal(true);
    } finally {
      await e2e.host.setPluginEnabled(PLUGIN_KEY, true);
    }
    const run = await e2e.as('admin', `/rest/hostsim/1.0/jobs/${encodeURIComponent(PRUNE_JOB)}/run`, { method: 'POST' });
    expect(run.status, run.text).to.equal(200);
    expect(await idsListedTo('admin', 'tove automation'), 'kept for what was issued through it').to.deep.equal([made.json.id]);
    await expectHiddenFromManager(made.json.id);
  });

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
