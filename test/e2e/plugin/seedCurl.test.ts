// Replays every curl line of seed 000 (the original app's REST documentation) with the real
// curl binary against a started host, on both databases and both products. The stray
// `POST`/`GET` words of the documented lines (which curl would take for host names) are left out.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { curl } from './support/curl';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

const JSON_HEADER = ['--header', 'Content-Type: application/json'];
const CREATE_KEYS = ['id', 'plainTextToken', 'tokenDescription', 'tokenForUserKey', 'tokenValidityTimeInMonths', 'tokenExpirationDateTime', 'tokenExpirationDateTimeMillis', 'tokenScope'];

for (const product of ['jira', 'confluence'] as const) {
  forEachDatabase(`seed 000 curl lines on ${product}`, (kind) => {
    let e2e: E2eEnv;
    let base: string;
    const u = (name: 'admin' | 'alice' | 'bob') => `${e2e.users[name].name}:${e2e.users[name].password}`;
    const keep = <T extends { json: { plainTextToken?: string } }>(res: T): T => { if (res.json?.plainTextToken) e2e.issued.push(res.json.plainTextToken); return res; };

    before(async () => { e2e = await startE2e(product, kind); base = e2e.host.url; });
    after(() => stopAndCheckLeaks(e2e));

    it('should create a token with a description', async () => {
      const res = keep(await curl(['-u', u('alice'), '-d', '{"tokenDescription":"my first token"}', `${base}${API}/user/token`, ...JSON_HEADER]));
      expect(res.status).to.equal(200);
      expect(res.json).to.have.keys(CREATE_KEYS);
      expect(res.json).to.include({ tokenDescription: 'my first token', tokenForUserKey: e2e.users.alice.key, tokenScope: 2 });
    });

    it('should create a token valid for one month', async () => {
      const res = keep(await curl(['-u', u('alice'), '-d', '{"tokenDescription":"one month", "tokenValidityTimeInMonths" : 1}', `${base}${API}/user/token`, ...JSON_HEADER]));
      expect(res.status).to.equal(200);
      expect(res.json.tokenValidityTimeInMonths).to.equal(1);
    });

    it('should refuse the documented (now past) ISO expiry with 400 and accept a future one with offset', async () => {
      const past = await curl(['-u', u('alice'), '-d', '{"tokenDescription":"Custom expiration", "tokenExpirationDateTime" : "2020-10-19T10:29:00.000+02:00"}', `${base}${API}/user/token`, ...JSON_HEADER]);
      expect(past.status).to.equal(400);
      expect(past.json).to.have.keys(['errorMessage']);
      const future = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 19);
      const res = keep(await curl(['-u', u('alice'), '-d', `{"tokenDescription":"Custom expiration", "tokenExpirationDateTime" : "${future}.000+02:00"}`, `${base}${API}/user/token`, ...JSON_HEADER]));
      expect(res.status).to.equal(200);
      expect(res.json.tokenExpirationDateTime).to.equal(`${future}.000+02:00`);
      expect(res.json.tokenExpirationDateTimeMillis).to.equal(Date.parse(`${future}.000+02:00`));
      const beyond = await curl(['-u', u('alice'), '-d', '{"tokenExpirationDateTime" : "2099-10-19T10:29:00.000+02:00"}', `${base}${API}/user/token`, ...JSON_HEADER]);
      expect(beyond.status).to.equal(400);
      expect(beyond.json.errorMessage).to.include('12');
    });

    it('should update a token description, list, and delete it', async () => {
      const created = keep(await curl(['-u', u('alice'), '-d', '{"tokenDescription":"to update"}', `${base}${API}/user/token`, ...JSON_HEADER]));
      const id = created.json.id;
      const patched = await curl(['-u', u('alice'), '-d', '{"tokenDescription":"Updated token description"}', '-X', 'PATCH', `${base}${API}/user/token/${id}`, ...JSON_HEADER]);
      expect(patched.status).to.equal(200);
      const list = await curl(['-u', u('alice'), `${base}${API}/user/token/`]);
      expect(list.status).to.equal(200);
      const mine = (list.json as Array<Record<string, unknown>>).find((t) => t.id === id)!;
      expect(mine).to.include.keys(['created', 'description', 'id', 'lastAccessed']);
      expect(mine.description).to.equal('Updated token description');
      const del = await curl(['-u', u('alice'), '-X', 'DELETE', `${base}${API}/user/token/${id}`]);
      expect(del.status).to.equal(200);
      expect(del.json).to.equal(true);
    });

    it('should let the admin (with a token as password) create tokens for another user', async () => {
      const adminToken = keep(await curl(['-u', u('admin'), '-d', '{"tokenDescription":"admin automation"}', `${base}${API}/user/token`, ...JSON_HEADER])).json.plainTextToken;
      const bobKey = e2e.users.bob.key;
      const a = keep(await curl(['-u', `admin:${adminToken}`, '-d', `{"tokenDescription":"token for another user", "tokenForUserKey":"${bobKey}"}`, `${base}${API}/user/token`, ...JSON_HEADER]));
      expect(a.status).to.equal(200);
      expect(a.json.tokenForUserKey).to.equal(bobKey);
      const b = keep(await curl(['-u', `admin:${adminToken}`, '-d', `{"tokenDescription":"token for another user", "tokenForUserKey":"${bobKey}","tokenValidityTimeInMonths":12}`, `${base}${API}/user/token`, ...JSON_HEADER]));
      expect(b.status).to.equal(200);
      expect(b.json.tokenValidityTimeInMonths).to.equal(12);
    });

    it('should list all users\' tokens by filter, with every filter and with paging', async () => {
      const all = await curl(['-u', u('admin'), `${base}${API}/user/tokensByFilter`]);
      expect(all.status).to.equal(200);
      expect(all.json).to.have.keys(['content', 'currentPage', 'limit', 'offset', 'paginationLinks', 'total', 'totalPages']);
      // The seed's fields, plus the last IP and the restrictions (issue 12 B: the Token Manager's columns).
      expect(all.json.content[0]).to.have.keys(['created', 'description', 'id', 'lastAccessed', 'tokenCreatedByUserKey', 'tokenForUserKey', 'tokenScope', 'validUntil',
        'lastAccessedFromIp', 'restrictions', 'restrictionsText']);
      const filtered = await curl(['-u', u('admin'), `${base}${API}/user/tokensByFilter?userFilter=${e2e.users.alice.key}&userFilter=${e2e.users.bob.key}&fromCreated=1601503200000&untilCreated=4604185199999&descriptionFilter=findme&tokenScope=1&fromLastUsed=0&untilLastUsed=4604185199999&fromExpiresDuring=1604185200000&untilExpiresDuring=4612133999999`]);
      expect(filtered.status).to.equal(200);
      expect(filtered.json.total).to.equal(0);
      const notValidAfter = await curl(['-u', u('admin'), `${base}${API}/user/tokensByFilter?notValidAfter=4688918956972`]);
      expect(notValidAfter.json.total).to.equal(all.json.total);
      const paged = await curl(['-u', u('admin'), `${base}${API}/user/tokensByFilter?page=0&limit=1&notValidAfter=4688918956972`]);
      expect(paged.json).to.deep.include({ currentPage: 0, limit: 1, offset: 0, totalPages: all.json.total });
      expect(paged.json.paginationLinks).to.deep.equal({
        baseUrl: base, previousPage: '',
        nextPage: `${base}${API}/user/tokensByFilter?page=1&limit=1&notValidAfter=4688918956972`,
      });
      const next = await curl(['-u', u('admin'), paged.json.paginationLinks.nextPage]);
      expect(next.json.currentPage).to.equal(1);
    });

    it('should find a user key by e-mail and through the host user API', async () => {
      const byEmail = await curl(['-u', u('admin'), `${base}${API}/user/userKeyByEmail?email=${e2e.users.bob.email}`]);
      expect(byEmail.status).to.equal(200);
      expect(byEmail.json).to.deep.equal({ userKey: e2e.users.bob.key });
      const none = await curl(['-u', u('admin'), `${base}${API}/user/userKeyByEmail?email=nobody@example.com`]);
      expect(none.status).to.equal(404);
      const userPath = product === 'jira' ? '/rest/api/2/user?username=bob' : '/rest/api/user?username=bob';
      const user = await curl(['-u', u('admin'), `${base}${userPath}`]);
      expect(user.status).to.equal(200);
      expect(product === 'jira' ? user.json.key : user.json.userKey).to.equal(e2e.users.bob.key);
    });

    it('should delete all tokens of a user for the sysadmin only (403 otherwise)', async () => {
      const denied = await curl(['-u', u('alice'), '-X', 'DELETE', `${base}${API}/user/token/deleteAllFor/${e2e.users.bob.key}`]);
      expect(denied.status).to.equal(403);
      const res = await curl(['-u', u('admin'), '-X', 'DELETE', `${base}${API}/user/token/deleteAllFor/${e2e.users.bob.key}`]);
      expect(res.status).to.equal(200);
      expect(res.json).to.equal(2);
    });

    it('should answer 401 to a wrong or expired token and to a wrong password', async () => {
      const wrong = await curl(['-u', 'alice:apitok_AAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAA000000', `${base}/rest/api/2/myself`]);
      expect(wrong.status).to.equal(401);
      const pw = await curl(['-u', 'alice:not-the-password', `${base}${API}/user/token`]);
      expect(pw.status).to.equal(401);
    });
  });
}
