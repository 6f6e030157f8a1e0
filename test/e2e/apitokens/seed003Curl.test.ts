// Seed 003 ("API Tokens for Jira/Confluence", `/rest/api-tokens/latest`) replayed with the real
// curl binary on both products and databases, on the same tokens as the resolution API.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { curl } from '../plugin/support/curl';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';

const TOKENS = '/rest/api-tokens/latest';
const JSON_HEADER = ['-H', 'Content-Type: application/json'];
const ASP_ID = /^asp_[A-Za-z0-9]{16}$/;

for (const product of ['jira', 'confluence'] as const) {
  forEachDatabase(`seed 003 /rest/api-tokens with curl on ${product}`, (kind) => {
    let e2e: E2eEnv;
    let base: string;
    const u = (name: 'admin' | 'alice' | 'bob') => `${e2e.users[name].name}:${e2e.users[name].password}`;
    const usePath = product === 'jira' ? '/rest/api/latest/configuration' : '/rest/api/user/anonymous';
    const create = async (user: 'alice' | 'bob', label: string) => {
      const res = await curl(['-u', u(user), '-X', 'POST', '-d', JSON.stringify({ label }), ...JSON_HEADER, `${base}${TOKENS}/`]);
      if (res.json?.token) e2e.issued.push(res.json.token);
      return res;
    };
    const licence = (state: string) => e2e.as('admin', '/rest/hostsim/1.0/license/de.resolution.apitokenauth', { method: 'PUT', body: { state } });

    before(async () => { e2e = await startE2e(product, kind); base = e2e.host.url; });
    after(() => stopAndCheckLeaks(e2e));

    it('should create a token with a label and list it with millisecond times', async () => {
      const created = await create('alice', 'New token');
      expect(created.status).to.equal(200);
      expect(created.json).to.have.keys(['id', 'label', 'token', 'createdAt']);
      expect(created.json.id).to.match(ASP_ID);
      expect(created.json.label).to.equal('New token');
      expect(created.json.createdAt).to.be.a('number');
      const list = await curl(['-u', u('alice'), `${base}${TOKENS}/`]);
      expect(list.status).to.equal(200);
      const mine = (list.json as Array<Record<string, unknown>>).find((t) => t.id === created.json.id);
      expect(mine).to.deep.equal({ id: created.json.id, label: 'New token', createdAt: created.json.createdAt, lastAccessed: null });
    });

    it('should authenticate the seed\'s usage line and then show lastAccessed', async () => {
      const created = await create('alice', 'Script token');
      const used = await curl([`${base}${usePath}`, '--user', `alice:${created.json.token}`]);
      expect(used.status).to.equal(200);
      const list = await curl(['-u', u('alice'), `${base}${TOKENS}`]);
      const mine = (list.json as Array<Record<string, unknown>>).find((t) => t.id === created.json.id)!;
      expect(mine.lastAccessed).to.be.a('number');
    });

    it('should show the same tokens in both APIs and delete across them', async () => {
      const viaSeed3 = await create('bob', 'from api-tokens');
      const viaResolution = await e2e.createToken('bob', { tokenDescription: 'from resolution' });
      const resolutionList = (await e2e.as('bob', `${API}/user/token`)).json as Array<Record<string, unknown>>;
      expect(resolutionList.map((t) => t.description)).to.include.members(['from api-tokens', 'from resolution']);
      const seedList = (await curl(['-u', u('bob'), `${base}${TOKENS}/`])).json as Array<Record<string, unknown>>;
      expect(seedList.map((t) => t.label)).to.include.members(['from api-tokens', 'from resolution']);
      const resolutionAsp = seedList.find((t) => t.label === 'from resolution')!.id as string;
      const del = await curl(['-u', u('bob'), '-X', 'DELETE', `${base}${TOKENS}/${resolutionAsp}`]);
      expect(del.status).to.equal(204);
      expect(del.text).to.equal('');
      expect((await e2e.req(usePath, { auth: ['bob', viaResolution.plainTextToken] })).status).to.equal(401);
      expect((await e2e.req(usePath, { bearer: viaSeed3.json.token })).status).to.equal(200);
      expect((await e2e.as('bob', `${API}/user/token/${viaResolution.id}`, { method: 'DELETE' })).status).to.equal(404);
    });

    it('should answer 404 for another user\'s id, an unknown id and a malformed id', async () => {
      const alices = await create('alice', 'not for bob');
      for (const id of [alices.json.id, 'asp_AAAAAAAAAAAAAAAA', 'nope', '1']) {
        const res = await curl(['-u', u('bob'), '-X', 'DELETE', `${base}${TOKENS}/${id}`]);
        expect(res.status, id).to.equal(404);
        expect(res.json).to.have.keys(['errorMessage']);
      }
      expect((await e2e.req(usePath, { bearer: alices.json.token })).status).to.equal(200);
    });

    it('should delete all own tokens with DELETE /all (204) and leave others\' tokens alone', async () => {
      const mine = await create('bob', 'bob one');
      await create('bob', 'bob two');
      const alices = await create('alice', 'alice keeps this');
      const res = await curl(['-u', u('bob'), '-X', 'DELETE', `${base}${TOKENS}/all`]);
      expect(res.status).to.equal(204);
      expect((await curl(['-u', u('bob'), `${base}${TOKENS}/`])).json).to.deep.equal([]);
      expect((await e2e.req(usePath, { bearer: mine.json.token })).status).to.equal(401);
      expect((await e2e.req(usePath, { bearer: alices.json.token })).status).to.equal(200);
    });

    it('should validate the body: unknown field, bad label, malformed JSON → 400', async () => {
      for (const data of ['{"name":"x"}', '{"label":5}', `{"label":"${'x'.repeat(300)}"}`, '{nope']) {
        const res = await curl(['-u', u('alice'), '-X', 'POST', '-d', data, ...JSON_HEADER, `${base}${TOKENS}/`]);
        expect(res.status, data).to.equal(400);
        expect(res.json).to.include.keys(['errorMessage']);
      }
      expect((await curl([`${base}${TOKENS}/`])).status).to.equal(401);
    });

    it('should keep managing tokens unlicensed (list, create, delete) and refuse only token use (401)', async () => {
      const token = await create('alice', 'before licence expiry');
      expect((await licence('expired')).status).to.equal(200);
      try {
        expect((await curl(['-u', u('alice'), `${base}${TOKENS}/`])).status).to.equal(200);
        const unlicensed = await create('alice', 'during licence expiry');
        expect(unlicensed.status).to.equal(200);
        expect((await e2e.req(usePath, { bearer: unlicensed.json.token })).status).to.equal(401);
        expect((await curl(['-u', u('alice'), '-X', 'DELETE', `${base}${TOKENS}/${unlicensed.json.id}`])).status).to.equal(204);
        expect((await e2e.req(usePath, { bearer: token.json.token })).status).to.equal(401);
        expect((await curl(['-u', u('alice'), '-X', 'DELETE', `${base}${TOKENS}/${token.json.id}`])).status).to.equal(204);
      } finally {
        await licence('valid');
      }
    });

    it('should honour authSchemes and read-only scope for tokens of this API', async () => {
      const token = await create('alice', 'scheme test');
      expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { authSchemes: 'bearer' } })).status).to.equal(200);
      try {
        expect((await curl([`${base}${usePath}`, '--user', `alice:${token.json.token}`])).status).to.equal(401);
        expect((await curl(['-H', `Authorization: Bearer ${token.json.token}`, `${base}${usePath}`])).status).to.equal(200);
      } finally {
        await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { authSchemes: 'both' } });
      }
      const readOnly = await e2e.createToken('alice', { tokenScope: 1 });
      const list = await curl(['-H', `Authorization: Bearer ${readOnly.plainTextToken}`, `${base}${TOKENS}/`]);
      expect(list.status).to.equal(200);
      const post = await curl(['-H', `Authorization: Bearer ${readOnly.plainTextToken}`, '-X', 'POST', '-d', '{"label":"x"}', ...JSON_HEADER, `${base}${TOKENS}/`]);
      expect(post.status).to.equal(403);
      const delAll = await curl(['-H', `Authorization: Bearer ${readOnly.plainTextToken}`, '-X', 'DELETE', `${base}${TOKENS}/all`]);
      expect(delAll.status).to.equal(403);
    });
  });
}
