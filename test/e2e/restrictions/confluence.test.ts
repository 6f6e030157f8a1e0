// Restrictions on Confluence (context path /confluence): URL rules with and without the context
// path, query parameters and JSON body rules on Confluence's own REST resources, and the parameter
// Confluence's user resource reads instead of the one a rule names.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';

forEachDatabase('Token restrictions end to end on confluence', (kind) => {
  let e2e: E2eEnv;
  const tokenWith = async (restrictions: unknown): Promise<string> => (await e2e.createToken('alice', { restrictions })).plainTextToken;

  before(async () => { e2e = await startE2e('confluence', kind); });
  after(() => stopAndCheckLeaks(e2e));

  it('should match URL rules after and with the context path', async () => {
    for (const rule of ['[GET]/rest/api/user/current', '[GET]/confluence/rest/api/user/current']) {
      const token = await tokenWith(rule);
      expect((await e2e.req('/rest/api/user/current', { bearer: token })).status, rule).to.equal(200);
      expect((await e2e.req('/rest/api/space', { bearer: token })).status, rule).to.equal(403);
    }
  });

  it('should check query parameters and JSON body nodes', async () => {
    const token = await tokenWith([
      '[GET].*/rest/api/content[QueryParam::spaceKey==DOCS]',
      '[POST].*/rest/api/content[JsonData::space.key==DOCS][JsonData::type==page]',
    ]);
    expect((await e2e.req('/rest/api/content?spaceKey=DOCS', { bearer: token })).status).to.not.equal(403);
    expect((await e2e.req('/rest/api/content?spaceKey=HR', { bearer: token })).status).to.equal(403);
    const post = (space: string) => e2e.req('/rest/api/content', {
      method: 'POST', bearer: token, body: { type: 'page', title: `t-${space}`, space: { key: space }, body: { storage: { value: '<p>x</p>', representation: 'storage' } } },
    });
    expect((await post('DOCS')).status).to.not.equal(403);
    expect((await post('HR')).status).to.equal(403);
  });

  it('should keep a rule on the user key to that user only with [NoOtherQueryParams]: /rest/api/user reads username first', async () => {
    const { alice } = e2e.users;
    const open = await tokenWith(`[GET].*/rest/api/user[QueryParam::key==${alice.key}]`);
    expect((await e2e.req(`/rest/api/user?key=${alice.key}`, { bearer: open })).json.username).to.equal('alice');
    // Documented (docs/restrictions.md): another parameter is admitted, and the resource answers for it.
    expect((await e2e.req(`/rest/api/user?key=${alice.key}&username=admin`, { bearer: open })).json.username).to.equal('admin');
    const closed = await tokenWith(`[GET].*/rest/api/user[QueryParam::key==${alice.key}][NoOtherQueryParams]`);
    expect((await e2e.req(`/rest/api/user?key=${alice.key}`, { bearer: closed })).json.username).to.equal('alice');
    for (const query of [`key=${alice.key}&username=admin`, `username=admin&key=${alice.key}`, `key=${alice.key}&Username=admin`, `key=${alice.key}&key=admin`]) {
      expect((await e2e.req(`/rest/api/user?${query}`, { bearer: closed })).status, query).to.equal(403);
    }
  });
});
