// Issue 11, finding 7: `tokensByFilter?page=9007199254740991` answered 500 (page × limit is no
// longer an exact integer). A page or limit beyond the data is a 200 with an empty page; a
// malformed one a 400 whose message names a human limit; never a 500.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

forEachDatabase('tokensByFilter paging', (kind) => {
  let e2e: E2eEnv;
  before(async () => {
    e2e = await startE2e('jira', kind);
    for (let i = 0; i < 3; i++) await e2e.createToken('admin', { tokenDescription: `paging ${i}` });
  });
  after(() => stopAndCheckLeaks(e2e));

  const get = (query: string) => e2e.as('admin', `${API}/user/tokensByFilter?${query}`);

  it('should answer a page far beyond the data with an empty page', async () => {
    for (const query of ['page=9007199254740991', 'page=9007199254740991&limit=50', 'page=180143985094819&limit=50',
      'page=4503599627370496&limit=2', 'page=99999999999999999999', `page=${'9'.repeat(400)}`, 'page=3&limit=1',
      'page=1000000&limit=9007199254740991', 'page=00000000000000000000001&limit=3']) {
      const res = await get(query);
      expect(res.status, `${query}: ${res.text}`).to.equal(200);
      expect(res.json.content, query).to.deep.equal([]);
      expect(res.json.total, query).to.equal(3);
      expect(res.json.paginationLinks.nextPage, query).to.equal('');
      expect(res.json.paginationLinks.previousPage, query).to.be.a('string').and.not.equal('');
      expect(Number.isSafeInteger(res.json.currentPage), query).to.equal(true);
      expect(Number.isSafeInteger(res.json.offset), query).to.equal(true);
    }
  });

  it('should clamp a huge limit to the page size and still page the data', async () => {
    const res = await get('limit=9007199254740991');
    expect(res.status, res.text).to.equal(200);
    expect(res.json.limit).to.equal(50);
    expect(res.json.content).to.have.length(3);
    const second = await get('page=1&limit=2');
    expect(second.status).to.equal(200);
    expect(second.json.content).to.have.length(1);
    expect(second.json.offset).to.equal(2);
  });

  it('should refuse a negative, non-numeric or repeated page or limit with 400 and a human limit', async () => {
    const cases: Array<[string, string]> = [
      ['page=-1', 'page'], ['page=-9007199254740991', 'page'], ['page=x', 'page'], ['page=1.5', 'page'], ['page=1e3', 'page'],
      ['page=%20', 'page'], ['page=0x10', 'page'], ['page=1&page=2', 'page'],
      ['limit=0', 'limit'], ['limit=-5', 'limit'], ['limit=abc', 'limit'], ['limit=1&limit=2', 'limit'], ['limit=2.0', 'limit'],
    ];
    const problems: string[] = [];
    for (const [query, field] of cases) {
      const res = await get(query);
      const message = String(res.json?.errors?.[field] ?? '');
      const ok = res.status === 400 && typeof res.json?.errorMessage === 'string' && message !== '' && !/\d{10,}/.test(message);
      if (!ok) problems.push(`${query} → ${res.status} ${res.text.slice(0, 200)}`);
    }
    expect(problems).to.deep.equal([]);
  });
});
