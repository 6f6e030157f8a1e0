// Issue 14, description search at scale: the first page of a description-substring filter does
// not wait for a count of every row. Up to SUBSTRING_COUNT_CAP matches the total is exact at
// once; beyond it the first answer says "at least cap + 1" (totalExact: false) and the exact
// count, run in the background, serves the next request. Filters that need no scan stay exact.
import { expect } from 'chai';
import { SUBSTRING_COUNT_CAP } from '../../../plugin/service/TokenAdminQueries';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';
import { seedTokenRows } from './support/seedTokenRows';

const COMMON = SUBSTRING_COUNT_CAP + 500;
const DAY = 86_400_000;

forEachDatabase('tokensByFilter total of a description substring (issue 14)', (kind) => {
  let e2e: E2eEnv;

  before(async function () {
    this.timeout(60_000);
    e2e = await startE2e('jira', kind);
    const now = Date.now();
    await seedTokenRows(e2e.host.dbUrl, COMMON + 7, (i) => ({
      userKey: `subuser${i % 5}`, description: i < COMMON ? `Nightly export ${i}` : `rare backup ${i}`,
      created: now, validUntil: now + DAY * (1 + (i % 90)), lastAccessed: 0, lastIp: null, restrictions: null,
    }), 'substr');
  });
  after(() => stopAndCheckLeaks(e2e));

  const list = (query: string) => e2e.as('admin', `${API}/user/tokensByFilter?${query}`);

  it('should give the exact total at once when a substring matches few tokens', async () => {
    const res = await list('descriptionFilter=RARE%20backup&limit=5');
    expect(res.status).to.equal(200);
    expect(res.json).to.include({ total: 7, totalPages: 2 });
    expect(res.json).to.not.have.property('totalExact');
    expect(res.json.content).to.have.length(5);
  });

  it('should answer the first page of a common substring with a lower bound, then the exact total', async function () {
    this.timeout(20_000);
    const first = await list('descriptionFilter=nightly&limit=50');
    expect(first.status).to.equal(200);
    expect(first.json).to.include({ total: SUBSTRING_COUNT_CAP + 1, totalExact: false });
    expect(first.json.content).to.have.length(50);
    expect(first.json.paginationLinks.nextPage).to.not.equal('');
    let next = first;
    for (let i = 0; i < 100 && 'totalExact' in next.json; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      next = await list('descriptionFilter=nightly&limit=50&page=1');
    }
    expect(next.json).to.include({ total: COMMON, totalPages: Math.ceil(COMMON / 50) });
    expect(next.json).to.not.have.property('totalExact');
  });

  it('should keep totals exact for filters that need no substring scan', async () => {
    const res = await list('userFilter=subuser1&limit=10');
    expect(res.status).to.equal(200);
    expect(res.json).to.not.have.property('totalExact');
    expect(res.json.total).to.equal(Array.from({ length: COMMON + 7 }, (_v, i) => i % 5).filter((u) => u === 1).length);
  });
});
