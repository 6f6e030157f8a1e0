// Issue 12 B, "Bulk revoke": POST …/admin/tokens/delete with {"ids": […]} or {"filter": {<the
// tokensByFilter parameters>}} deletes only the tokens the caller may see (the rank rules of
// tokensByFilter and delete), answers {"deleted": n}, audits one event per token and revokes
// them on every node at once.
import { expect } from 'chai';
import { expectError } from '../../support/errorCodes';
import { forEachDatabase } from '../../support/databases';
import type { TestHost } from '../../support/hostServer';
import { API, type E2eEnv } from './support/e2eHost';
import { seedTokenRows } from './support/seedTokenRows';
import { eventually, startTwoNodes, stopTwoNodes } from './support/twoNodes';

const DELETE = `${API}/admin/tokens/delete`;
type Extra = Record<string, string>;
const extra = (event: Record<string, unknown>): Extra =>
  Object.fromEntries(((event.extraAttributes ?? []) as Array<{ name: string; value: string }>).map((a) => [a.name, a.value]));

forEachDatabase('bulk token deletion (issue 12 B)', (kind) => {
  let e2e: E2eEnv;
  let node2: TestHost;

  before(async function () {
    this.timeout(60_000);
    ({ e2e, node2 } = await startTwoNodes(kind));
  });
  after(async () => {
    await stopTwoNodes({ e2e, node2 });
  });

  const bulk = (who: keyof E2eEnv['users'], body: unknown) => e2e.as(who, DELETE, { method: 'POST', body });
  const works = async (token: string, request: E2eEnv['req'] = e2e.req) => (await request('/rest/api/2/myself', { bearer: token })).status === 200;

  it('should delete by ids, skip unknown ids, revoke at once on every node and audit one event per token', async function () {
    this.timeout(20_000);
    const [a, b, c] = [await e2e.createToken('alice', { tokenDescription: 'bulk a' }), await e2e.createToken('alice', { tokenDescription: 'bulk b' }), await e2e.createToken('alice', { tokenDescription: 'bulk c' })];
    expect(await works(a.plainTextToken, node2.request)).to.equal(true);
    const res = await bulk('admin', { ids: [a.id, b.id, 987654321, a.id] });
    expect(res.status, res.text).to.equal(200);
    expect(res.json).to.deep.equal({ deleted: 2 });
    expect(await works(a.plainTextToken)).to.equal(false);
    expect(await works(b.plainTextToken)).to.equal(false);
    expect(await works(c.plainTextToken)).to.equal(true);
    expect(await eventually(async () => !(await works(a.plainTextToken, node2.request)), 3000)).to.equal(true);
    const events = (await e2e.auditEvents('token.deleted')).filter((ev) => [String(a.id), String(b.id)].includes(extra(ev).tokenId));
    expect(events).to.have.length(2);
    for (const ev of events) {
      expect((ev.author as { name: string }).name).to.equal('admin');
      expect(extra(ev).bulk).to.equal('true');
    }
  });

  it('should delete by filter exactly what tokensByFilter lists with those parameters', async function () {
    this.timeout(20_000);
    const bobs = [];
    for (let i = 0; i < 3; i++) bobs.push(await e2e.createToken('bob', { tokenDescription: `bulk-filter ${i}`, tokenScope: 1 }));
    const bobsRw = await e2e.createToken('bob', { tokenDescription: 'bulk-filter rw', tokenScope: 2 });
    const carols = await e2e.createToken('carol', { tokenDescription: 'bulk-filter carol', tokenScope: 1 });
    const filter = { descriptionFilter: 'BULK-FILTER', userFilter: [e2e.users.bob.key], tokenScope: 1 };
    const listed = await e2e.as('admin', `${API}/user/tokensByFilter?descriptionFilter=BULK-FILTER&userFilter=${e2e.users.bob.key}&tokenScope=1`);
    expect(listed.json.total).to.equal(3);
    const res = await bulk('manager', { filter });
    expect(res.status, res.text).to.equal(200);
    expect(res.json).to.deep.equal({ deleted: 3 });
    for (const t of bobs) expect(await works(t.plainTextToken)).to.equal(false);
    expect(await works(bobsRw.plainTextToken)).to.equal(true);
    expect(await works(carols.plainTextToken)).to.equal(true);
    // A single user as a string, and numbers as strings, as in the query string.
    const again = await bulk('admin', { filter: { userFilter: e2e.users.carol.key, descriptionFilter: 'bulk-filter', fromCreated: '0' } });
    expect(again.json).to.deep.equal({ deleted: 1 });
  });

  it('should never delete tokens the caller may not see: higher-ranked owners and user-less tokens', async function () {
    this.timeout(20_000);
    const admins = await e2e.createToken('admin', { tokenDescription: 'rank-test admin' });
    const userless = await e2e.createToken('admin', { userless: true, tokenDescription: 'rank-test userless', restrictions: '[GET].*/rest/api/2/myself' });
    const alices = await e2e.createToken('alice', { tokenDescription: 'rank-test alice' });
    const byIds = await bulk('manager', { ids: [admins.id, userless.id, alices.id] });
    expect(byIds.json).to.deep.equal({ deleted: 1 });
    expect(await works(admins.plainTextToken)).to.equal(true);
    expect((await e2e.as('admin', `${API}/admin/tokens/lookup`, { method: 'POST', body: { token: userless.plainTextToken } })).status).to.equal(200);
    const byFilter = await bulk('manager', { filter: { descriptionFilter: 'rank-test' } });
    expect(byFilter.json).to.deep.equal({ deleted: 0 });
    expect(await works(admins.plainTextToken)).to.equal(true);
    const bySysadmin = await bulk('admin', { filter: { descriptionFilter: 'rank-test' } });
    expect(bySysadmin.json).to.deep.equal({ deleted: 2 });
  });

  it('should delete thousands of matching tokens in one request and audit each', async function () {
    this.timeout(120_000);
    const now = Date.now();
    await seedTokenRows(e2e.host.dbUrl, 2500, (i) => ({ userKey: `massuser${i % 10}`, description: `mass leak ${i}`, created: now, validUntil: now + 86_400_000 }), 'mass');
    const res = await bulk('admin', { filter: { descriptionFilter: 'mass leak' } });
    expect(res.status, res.text).to.equal(200);
    expect(res.json).to.deep.equal({ deleted: 2500 });
    expect((await e2e.as('admin', `${API}/user/tokensByFilter?descriptionFilter=mass%20leak`)).json.total).to.equal(0);
    const events = await e2e.auditEvents('token.deleted', 1000);
    expect(events.filter((ev) => extra(ev).bulk === 'true').length).to.be.at.least(1000);
  });

  it('should refuse callers without the on-behalf permission, restricted tokens and read-only tokens', async () => {
    const target = await e2e.createToken('alice', { tokenDescription: 'permission target' });
    expectError(await bulk('bob', { ids: [target.id] }), 'ON_BEHALF_REQUIRED');
    expectError(await e2e.req(DELETE, { method: 'POST', body: { ids: [target.id] } }), 'NOT_AUTHENTICATED');
    const restricted = await e2e.createToken('admin', { tokenDescription: 'restricted caller', ipAllowlist: ['127.0.0.1', '::1'] });
    expectError(await e2e.req(DELETE, { method: 'POST', bearer: restricted.plainTextToken, body: { ids: [target.id] } }), 'RESTRICTED_TOKEN_FORBIDDEN');
    const readOnly = await e2e.createToken('admin', { tokenDescription: 'read-only caller', tokenScope: 1 });
    expect((await e2e.req(DELETE, { method: 'POST', bearer: readOnly.plainTextToken, body: { ids: [target.id] } })).status).to.equal(403);
    expect(await works(target.plainTextToken)).to.equal(true);
    const unrestricted = await e2e.createToken('admin', { tokenDescription: 'read/write caller' });
    const viaToken = await e2e.req(DELETE, { method: 'POST', bearer: unrestricted.plainTextToken, body: { ids: [target.id] } });
    expect(viaToken.json).to.deep.equal({ deleted: 1 });
  });

  it('should answer 400 to a body that is not exactly ids or a filter', async () => {
    const tooMany = Array.from({ length: 1001 }, (_v, i) => i + 1);
    for (const body of [{}, { ids: [] }, { ids: tooMany }, { ids: [1.5] }, { ids: [0] }, { ids: ['1'] }, { ids: 1 },
      { ids: [1], filter: {} }, { filter: { page: 1 } }, { filter: { limit: 5 } }, { filter: { nope: 1 } }, { filter: { notValidAfter: 'soon' } },
      { filter: { tokenScope: 7 } }, { filter: [] }, { filter: { userFilter: [1] } }, [1]]) {
      expectError(await bulk('admin', body), 'VALIDATION_FAILED', JSON.stringify(body).slice(0, 60));
    }
  });
});
