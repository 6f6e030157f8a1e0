// Bad input gets a clear 4xx, never a 500 — also a NUL character, which PostgreSQL refuses in
// any text parameter ("invalid byte sequence for encoding UTF8: 0x00"), where SQLite and MariaDB
// simply find nothing. From the attack review of 2026-12-02.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const RULE = '[GET].*/rest/api/2/myself';

forEachDatabase('A NUL character in what a client sends', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;

  it('should refuse a Basic user name with a NUL, with a user-less token or a password, as 401', async () => {
    const { plainTextToken } = await e2e.createToken('admin', { userless: true, tokenDescription: 'shared', restrictions: RULE });
    expect((await e2e.req('/rest/api/2/myself', { headers: { Authorization: basic('ali\u0000ce', plainTextToken) } })).status).to.equal(401);
    expect((await e2e.req('/rest/api/2/myself', { headers: { Authorization: basic('ali\u0000ce', 'alice-pw') } })).status).to.equal(401);
    expect((await e2e.req('/rest/api/2/myself', { headers: { Authorization: basic('alice', plainTextToken) } })).status).to.equal(200);
  });

  it('should answer a NUL in a filter or a lookup with a 4xx or an empty result, never a 500', async () => {
    const filter = await e2e.as('admin', `${API}/user/tokensByFilter?descriptionFilter=a%00b`);
    expect(filter.status).to.be.oneOf([200, 400]);
    const byEmail = await e2e.as('admin', `${API}/user/userKeyByEmail?email=${encodeURIComponent('a\u0000b@example.com')}`);
    expect(byEmail.status).to.be.within(400, 499);
    const picker = await e2e.as('admin', `/plugins/servlet/de.resolution.apitokenauth/users/search?query=${encodeURIComponent('al\u0000')}`);
    expect(picker.status).to.be.oneOf([200, 400]);
    const user = await e2e.as('admin', `/rest/api/2/user?username=${encodeURIComponent('ali\u0000ce')}`);
    expect(user.status).to.be.within(400, 499);
  });

  // Black-box review of 2026-12-05: SQLite's LIKE reads its pattern only up to a NUL, so a
  // description filter of "\u0000" became "%" there (every token) and "ci\u0000x" became "%ci"
  // (every token with "ci"), where MariaDB and PostgreSQL (U+FFFD) find nothing: the listing and
  // the export showed, and a bulk deletion deleted, every token the caller may see — the "empty
  // filter" that `emptyFilterValue` refuses, reached with one character.
  it('should match no token with a NUL in the description filter: listing, export and bulk deletion', async () => {
    const made = [
      await e2e.createToken('admin', { tokenDescription: 'ci pipeline' }),
      await e2e.createToken('alice', { tokenDescription: 'ci deploy' }),
      await e2e.createToken('bob', { tokenDescription: 'nightly' }),
    ];
    for (const value of ['\u0000', 'ci\u0000zz', '\u0000ci']) {
      const list = await e2e.as('admin', `${API}/user/tokensByFilter?descriptionFilter=${encodeURIComponent(value)}`);
      expect(list.status, JSON.stringify(value)).to.be.oneOf([200, 400]);
      if (list.status === 200) expect((list.json as { total: number }).total, JSON.stringify(value)).to.equal(0);
      const csv = await e2e.as('admin', `${API}/user/tokensByFilter?format=csv&descriptionFilter=${encodeURIComponent(value)}`);
      expect(csv.status, JSON.stringify(value)).to.be.oneOf([200, 400]);
      if (csv.status === 200) expect(csv.text.trim().split('\n'), JSON.stringify(value)).to.have.length(1);
      const bulk = await e2e.as('admin', `${API}/admin/tokens/delete`, { method: 'POST', body: { filter: { descriptionFilter: value } } });
      expect(bulk.status, JSON.stringify(value)).to.be.oneOf([200, 400]);
      if (bulk.status === 200) expect((bulk.json as { deleted: number }).deleted, JSON.stringify(value)).to.equal(0);
    }
    for (const token of made) {
      expect((await e2e.req('/rest/api/2/myself', { bearer: token.plainTextToken })).status).to.equal(200);
    }
  });
});
