// The secret is shown once. Every answer that carries a plain token (create and
// regenerate on the resolution API, create on /rest/api-tokens) must forbid caches from keeping it
// (`Cache-Control: no-store`, as the CSV export, the pages and the user picker already send): a
// shared proxy, a browser's disk cache or a "save page" of a kiosk would otherwise hold a copy
// that outlives the dialog that showed it once.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

forEachDatabase('answers that carry a secret are not cacheable', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  const noStore = (res: { headers: Headers }, what: string) => {
    expect(res.headers.get('cache-control') ?? '', what).to.match(/(^|,)\s*no-store\s*(,|$)/i);
  };

  it('should send Cache-Control: no-store with a created token (resolution API)', async () => {
    const res = await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: { tokenDescription: 'cache probe' } });
    expect(res.status).to.equal(200);
    e2e.issued.push(res.json.plainTextToken);
    noStore(res, 'create');
  });

  it('should send Cache-Control: no-store with a regenerated token', async () => {
    const created = await e2e.createToken('alice', { tokenDescription: 'cache probe 2' });
    const res = await e2e.as('alice', `${API}/user/token/${created.id}/rotate`, { method: 'POST' });
    expect(res.status).to.equal(200);
    e2e.issued.push(res.json.plainTextToken);
    noStore(res, 'rotate');
  });

  it('should send Cache-Control: no-store with a token created on /rest/api-tokens', async () => {
    const res = await e2e.as('alice', '/rest/api-tokens/latest', { method: 'POST', body: { label: 'cache probe 3' } });
    expect(res.status).to.equal(200);
    e2e.issued.push(res.json.token);
    noStore(res, 'api-tokens create');
  });
});
