// Retired secrets (docs/api.md) on every path an attacker tried in the fifth review: a cycle of
// regenerations through a spare minted on /rest/api-tokens, a retired secret presented as Bearer
// or Basic on either API, mixed revocation requests, salt and hash kept out of every answer, log
// and export, and no retired row left behind by any way of deleting a token.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from '../plugin/support/e2eHost';

const REVOKE = `${API}/tokens/revoke`;
const LOOKUP = `${API}/admin/tokens/lookup`;
const APITOKENS = '/rest/api-tokens/latest';
const PLUGIN = 'de.resolution.apitokenauth';
const DAY = 24 * 60 * 60 * 1000;
const publicIdOf = (plain: string) => plain.slice(7, 19);

interface RetiredRow { TOKEN_STRING_ID: string; PUBLIC_ID: string; SALT: string; HASH: string }

forEachDatabase('Retired secrets on every path', (kind) => {
  let e2e: E2eEnv;
  let ipCounter = 0;

  before(async () => {
    e2e = await startE2e('jira', kind, { HOSTSIM_SYSPROPS: 'hostsim.trusted.proxies=127.0.0.1' });
  });
  after(() => stopAndCheckLeaks(e2e));

  const revoke = (tokens: string[]) => e2e.req(REVOKE, { method: 'POST', body: { tokens }, headers: { 'X-Forwarded-For': `198.51.100.${++ipCounter}` } });
  const works = async (token: string) => (await e2e.req('/rest/api/2/myself', { bearer: token })).status === 200;
  const keep = (plain: unknown): string => {
    const s = String(plain);
    e2e.issued.push(s);
    return s;
  };
  const rotateThrough = async (id: number, bearer: string): Promise<string> => {
    const res = await e2e.req(`${API}/user/token/${id}/rotate`, { method: 'POST', bearer });
    expect(res.status, res.text).to.equal(200);
    return keep(res.json.plainTextToken);
  };
  /** The plugin's retired-secret rows, read through its Active Objects (any database). */
  const retiredRows = async (): Promise<RetiredRow[]> =>
    await e2e.host.runtime.servicesForPlugin({ pluginKey: PLUGIN, aoPrefix: 'AO_5D4005' }).activeObjects.find('RetiredSecret') as unknown as RetiredRow[];
  const retiredFor = async (plain: string) => (await retiredRows()).filter((r) => r.PUBLIC_ID === publicIdOf(plain));
  const ownIds = async (user: 'alice' | 'bob' | 'carol' | 'manager') => ((await e2e.as(user, `${API}/user/token`)).json as Array<{ id: number }>).map((t) => t.id);

  it('should revoke the leaked token and its offspring after a cycle: minted through /rest/api-tokens, leaked one regenerated through the minted one and back', async () => {
    const leaked = await e2e.createToken('alice', { tokenDescription: 'leaked-cycle' });
    const minted = await e2e.req(`${APITOKENS}/`, { method: 'POST', bearer: leaked.plainTextToken, body: { label: 'thief-spare-cycle' } });
    expect(minted.status, minted.text).to.equal(200);
    const spare = keep(minted.json.token);
    const spareId = ((await e2e.as('alice', `${API}/user/token`)).json as Array<{ id: number; description: string }>).find((t) => t.description === 'thief-spare-cycle')!.id;
    const l2 = await rotateThrough(leaked.id, spare);
    const spare2 = await rotateThrough(spareId, l2);
    const l3 = await rotateThrough(leaked.id, spare2);
    expect(await works(l3)).to.equal(true);
    expect((await revoke([leaked.plainTextToken])).status).to.equal(202);
    expect(await works(l3), 'the thief\'s current secret of the leaked token').to.equal(false);
    expect(await works(spare2), 'the spare minted through it').to.equal(false);
    expect(await ownIds('alice')).to.not.include(leaked.id).and.to.not.include(spareId);
  });

  it('should never authenticate with a retired secret, by Bearer, Basic user name or Basic e-mail, on either API', async () => {
    const leaked = await e2e.createToken('bob', { tokenDescription: 'retired-auth' });
    const current = await rotateThrough(leaked.id, leaked.plainTextToken);
    const old = leaked.plainTextToken;
    for (const path of ['/rest/api/2/myself', `${API}/user/token`, `${APITOKENS}/`]) {
      expect((await e2e.req(path, { bearer: old })).status, `${path} bearer`).to.equal(401);
      expect((await e2e.req(path, { auth: ['bob', old] })).status, `${path} basic`).to.equal(401);
      expect((await e2e.req(path, { auth: ['bob@example.com', old] })).status, `${path} basic e-mail`).to.equal(401);
    }
    expect(await works(current)).to.equal(true);
  });

  it('should revoke by retired and live secrets in one request with duplicates and junk, and nothing by a retired public id with a wrong secret', async () => {
    const a = await e2e.createToken('carol', { tokenDescription: 'mixed-a' });
    const b = await e2e.createToken('carol', { tokenDescription: 'mixed-b' });
    const c = await e2e.createToken('carol', { tokenDescription: 'mixed-c' });
    const aNow = await rotateThrough(a.id, a.plainTextToken);
    const cNow = await rotateThrough(c.id, c.plainTextToken);
    const wrongC = `${c.plainTextToken.slice(0, 20)}${'A'.repeat(c.plainTextToken.length - 20)}`;
    const res = await revoke([a.plainTextToken, a.plainTextToken, 'apitok_junk', b.plainTextToken, wrongC, c.plainTextToken.toUpperCase()]);
    expect(res.status).to.equal(202);
    expect(await works(aNow), 'a by its retired secret').to.equal(false);
    expect(await works(b.plainTextToken), 'b by its live secret').to.equal(false);
    expect(await works(cNow), 'c untouched').to.equal(true);
  });

  it('should keep salt and hash of a retired secret out of the lookup answer, the audit log, the log and the CSV export', async () => {
    const leaked = await e2e.createToken('alice', { tokenDescription: 'hash-leak' });
    await rotateThrough(leaked.id, leaked.plainTextToken);
    const [row] = await retiredFor(leaked.plainTextToken);
    expect(row, 'a retired row').to.not.equal(undefined);
    const lookup = await e2e.as('admin', LOOKUP, { method: 'POST', body: { token: leaked.plainTextToken } });
    expect(lookup.status).to.equal(200);
    const csv = await e2e.as('admin', `${API}/user/tokensByFilter?format=csv`);
    const audit = JSON.stringify((await e2e.as('admin', '/rest/auditing/1.0/events?limit=1000')).json);
    for (const [where, text] of [['lookup', lookup.text], ['csv', csv.text], ['audit', audit], ['log', e2e.logs.join('\n')]] as const) {
      expect(text.toLowerCase(), `${where}: hash`).to.not.include(row.HASH.toLowerCase());
      expect(text.toLowerCase(), `${where}: salt`).to.not.include(row.SALT.toLowerCase());
    }
  });

  it('should leave no retired row behind on any deletion path', async () => {
    const retireOf = async (user: 'alice' | 'bob' | 'carol' | 'manager', description: string) => {
      const t = await e2e.createToken(user, { tokenDescription: description });
      const now = await rotateThrough(t.id, t.plainTextToken);
      expect(await retiredFor(t.plainTextToken), `${description} retired`).to.have.length(1);
      return { ...t, now };
    };
    const left: string[] = [];
    const check = async (what: string, plain: string) => { if ((await retiredFor(plain)).length > 0) left.push(what); };

    const single = await retireOf('alice', 'del-single');
    expect((await e2e.as('alice', `${API}/user/token/${single.id}`, { method: 'DELETE' })).status).to.equal(200);
    await check('DELETE /user/token/{id}', single.plainTextToken);

    const viaApiTokens = await retireOf('alice', 'del-apitokens');
    const stringId = (await e2e.as('admin', LOOKUP, { method: 'POST', body: { token: viaApiTokens.now } })).json.stringId as string;
    expect((await e2e.as('alice', `${APITOKENS}/${stringId}`, { method: 'DELETE' })).status).to.equal(204);
    await check('DELETE /rest/api-tokens/{id}', viaApiTokens.plainTextToken);

    const bulkIds = await retireOf('bob', 'del-bulk-ids');
    expect((await e2e.as('admin', `${API}/admin/tokens/delete`, { method: 'POST', body: { ids: [bulkIds.id] } })).status).to.equal(200);
    await check('bulk ids', bulkIds.plainTextToken);

    const bulkFilter = await retireOf('bob', 'del-bulk-filter-xyz');
    expect((await e2e.as('admin', `${API}/admin/tokens/delete`, { method: 'POST', body: { filter: { descriptionFilter: 'del-bulk-filter-xyz' } } })).status).to.equal(200);
    await check('bulk filter', bulkFilter.plainTextToken);

    const parent = await e2e.createToken('carol', { tokenDescription: 'del-parent' });
    const child = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: parent.plainTextToken, body: { tokenDescription: 'del-child' } });
    expect(child.status).to.equal(200);
    keep(child.json.plainTextToken);
    await rotateThrough(Number(child.json.id), String(child.json.plainTextToken));
    expect((await e2e.as('carol', `${API}/user/token/${parent.id}`, { method: 'DELETE' })).status).to.equal(200);
    await check('issued-through cascade', String(child.json.plainTextToken));

    const byRevoke = await retireOf('carol', 'del-revoke');
    expect((await revoke([byRevoke.plainTextToken])).status).to.equal(202);
    await check('revocation by retired secret', byRevoke.plainTextToken);

    const all = await retireOf('manager', 'del-all');
    expect((await e2e.as('manager', `${APITOKENS}/all`, { method: 'DELETE' })).status).to.equal(204);
    await check('DELETE /rest/api-tokens/all', all.plainTextToken);

    await e2e.host.runtime.users.createUser({ name: 'dora5', password: 'dora5-pw-1', email: 'dora5@example.com', displayName: 'DORA5', groups: ['jira-software-users'] });
    const dora = async (description: string) => {
      const res = await e2e.req(`${API}/user/token`, { method: 'POST', body: { tokenDescription: description }, auth: ['dora5', 'dora5-pw-1'] });
      expect(res.status, res.text).to.equal(200);
      const plain = keep(res.json.plainTextToken);
      await rotateThrough(Number(res.json.id), plain);
      return plain;
    };
    const forAll = await dora('del-all-for');
    const doraKey = (await e2e.host.runtime.users.getUserByName('dora5'))!.key;
    expect((await e2e.as('admin', `${API}/user/token/deleteAllFor/${doraKey}`, { method: 'DELETE' })).status).to.equal(200);
    await check('deleteAllFor', forAll);

    const userGone = await dora('del-user-deleted');
    expect((await e2e.as('admin', '/rest/api/2/user?username=dora5', { method: 'DELETE' })).status).to.equal(204);
    for (let i = 0; i < 40 && (await retiredFor(userGone)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    await check('user deletion', userGone);

    expect(left).to.deep.equal([]);
  });

  describe('with the clock moved (pruning)', () => {
    let offset = 0;
    const moveClock = async (by: number) => {
      offset += by;
      expect((await e2e.as('admin', '/rest/hostsim/1.0/clock', { method: 'PUT', body: { offsetMillis: offset } })).status).to.equal(200);
    };
    const runPrune = async () => {
      const res = await e2e.as('admin', `/rest/hostsim/1.0/jobs/${encodeURIComponent(`${PLUGIN}:token-prune-job`)}/run`, { method: 'POST' });
      expect(res.status, res.text).to.equal(200);
    };
    afterEach(async () => {
      offset = 0;
      await e2e.as('admin', '/rest/hostsim/1.0/clock', { method: 'PUT', body: { offsetMillis: 0 } });
    });

    it('should forget the retired secrets of a pruned token', async () => {
      const now = (await e2e.as('admin', '/rest/hostsim/1.0/clock')).json.now as number;
      const t = await e2e.createToken('alice', { tokenDescription: 'prune-retired', tokenExpirationDateTimeMillis: now + 2 * DAY });
      await rotateThrough(t.id, t.plainTextToken);
      expect(await retiredFor(t.plainTextToken)).to.have.length(1);
      await moveClock(40 * DAY);
      await runPrune();
      expect(await ownIds('alice')).to.not.include(t.id);
      expect(await retiredFor(t.plainTextToken)).to.deep.equal([]);
    });
  });
});
