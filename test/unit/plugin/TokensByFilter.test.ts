import { expect } from 'chai';
import { API, type PluginApp } from './support/pluginApp';
import { createToken, pw, startWithRoles, type Roles } from './support/fixtures';

interface FilterPage {
  content: Array<Record<string, unknown>>;
  currentPage: number; limit: number; offset: number; total: number; totalPages: number;
  paginationLinks: { baseUrl: string; nextPage: string; previousPage: string };
}

describe('TokensByFilterResource', () => {
  let r: Roles;
  let app: PluginApp;
  beforeEach(async () => {
    r = await startWithRoles();
    app = r.app;
    await createToken(app, 'admin', { tokenDescription: 'Shell Script', tokenValidityTimeInMonths: 6 });
    await createToken(app, 'admin', { tokenDescription: 'Automation Script', tokenValidityTimeInMonths: 12 });
    app.host.clock.advance(1000);
    await createToken(app, 'alice', { tokenDescription: 'findme one', tokenScope: 1, tokenValidityTimeInMonths: 1 });
    await createToken(app, 'admin', { tokenDescription: 'token for another user', tokenForUserKey: r.bob.key, tokenValidityTimeInMonths: 3 });
  });
  afterEach(async () => { await app.close(); });

  async function page(query: string, who = 'admin'): Promise<FilterPage> {
    const res = await app.request('GET', `${API}/user/tokensByFilter${query}`, { auth: pw(who) });
    expect(res.status, query).to.equal(200);
    return res.body as FilterPage;
  }

  it('should list all tokens sorted by valid-until with the original shape plus the last IP and the restrictions', async () => {
    const p = await page('');
    expect(p.content.map((t) => t.description)).to.deep.equal(['findme one', 'token for another user', 'Shell Script', 'Automation Script']);
    expect(p.content[0]).to.have.keys(['id', 'description', 'created', 'lastAccessed', 'validUntil', 'tokenScope', 'tokenForUserKey', 'tokenCreatedByUserKey',
      'lastAccessedFromIp', 'restrictions', 'restrictionsText']);
    expect(p.content[0]).to.include({ lastAccessedFromIp: null, restrictions: null, restrictionsText: null });
    expect(p).to.deep.include({ currentPage: 0, limit: 50, offset: 0, total: 4, totalPages: 1 });
    expect(p.paginationLinks).to.deep.equal({ baseUrl: app.host.context.baseUrl, nextPage: '', previousPage: '' });
  });

  it('should apply every filter', async () => {
    expect((await page(`?userFilter=${r.alice.key}&userFilter=${r.bob.key}`)).total).to.equal(2);
    expect((await page('?descriptionFilter=SCRIPT')).total).to.equal(2);
    expect((await page('?descriptionFilter=%25')).total).to.equal(0);
    expect((await page('?tokenScope=1')).content.map((t) => t.description)).to.deep.equal(['findme one']);
    const t0 = app.host.clock.now();
    expect((await page(`?fromCreated=${t0}`)).total).to.equal(2);
    expect((await page(`?untilCreated=${t0 - 1}`)).total).to.equal(2);
    expect((await page('?notValidAfter=-1')).total).to.equal(4);
    const all = await page('');
    const v = all.content[1].validUntil as number;
    expect((await page(`?notValidAfter=${v}`)).total).to.equal(2);
    expect((await page(`?fromExpiresDuring=${v}&untilExpiresDuring=${v}`)).total).to.equal(1);
    expect((await page('?fromLastUsed=1')).total).to.equal(0);
    expect((await page('?untilLastUsed=0')).total).to.equal(4);
  });

  it('should list expired tokens too, as the original app does', async () => {
    // docs/api.md `GET /user/tokensByFilter`: expired tokens are listed until pruned; no test had one in the list.
    app.host.clock.advance(40 * 86400000);
    const p = await page('');
    expect(p.total).to.equal(4);
    const now = app.host.clock.now();
    expect(p.content.filter((t) => (t.validUntil as number) <= now).map((t) => t.description)).to.deep.equal(['findme one']);
    expect((await page(`?notValidAfter=${now}`)).content.map((t) => t.description)).to.deep.equal(['findme one']);
  });

  it('should page with absolute links that keep the filters', async () => {
    const first = await page('?page=0&limit=1&notValidAfter=1988918956972');
    expect(first).to.deep.include({ currentPage: 0, limit: 1, offset: 0, total: 4, totalPages: 4 });
    expect(first.paginationLinks.nextPage).to.equal(`${app.host.context.baseUrl}/rest/de.resolution.apitokenauth/latest/user/tokensByFilter?page=1&limit=1&notValidAfter=1988918956972`);
    expect(first.paginationLinks.previousPage).to.equal('');
    const last = await page('?page=3&limit=1');
    expect(last.paginationLinks.nextPage).to.equal('');
    expect(last.paginationLinks.previousPage).to.match(/\?page=2&limit=1$/);
    expect((await page('?limit=500')).limit).to.equal(50);
  });

  it('should answer 400 to non-numbers and 403 without the on-behalf permission', async () => {
    for (const q of ['?page=x', '?limit=0', '?notValidAfter=soon', '?tokenScope=7', '?fromCreated=1e5', '?page=-1', '?page=1&page=2']) {
      const res = await app.request('GET', `${API}/user/tokensByFilter${q}`, { auth: pw('admin') });
      expect(res.status, q).to.equal(400);
      expect(res.body).to.have.property('errorMessage');
    }
    expect((await app.request('GET', `${API}/user/tokensByFilter`, { auth: pw('alice') })).status).to.equal(403);
    // The on-behalf permission reaches users, not the system admin's own tokens (docs/api.md "What a token may do").
    expect((await page('', 'manager')).total).to.equal(2);
  });
});
