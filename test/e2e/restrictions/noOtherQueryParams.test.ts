// A query-parameter condition admits other parameters beside it, and Jira's GET /rest/api/2/user
// reads `username` before `key`: a token limited to one user's profile by
// `[GET].*/rest/api/2/user[QueryParam::key==<alice's key>]` read the administrator's with
// `?key=<alice's key>&username=admin`. `[NoOtherQueryParams]` closes the rule to the parameters
// it names; through real HTTP, in the text and the structured form.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';

forEachDatabase('Token restrictions end to end ([NoOtherQueryParams])', (kind) => {
  let e2e: E2eEnv;
  const tokenWith = async (restrictions: unknown): Promise<string> => {
    const created = await e2e.createToken('bob', { restrictions });
    expect(created.plainTextToken, JSON.stringify(created)).to.be.a('string');
    return created.plainTextToken;
  };
  const userAs = async (token: string, query: string): Promise<{ status: number; name?: string }> => {
    const res = await e2e.req(`/rest/api/2/user?${query}`, { bearer: token });
    return { status: res.status, name: res.status === 200 ? (res.json as { name: string }).name : undefined };
  };

  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  it('should show how the open rule is widened by a parameter the resource prefers', async () => {
    const open = await tokenWith(`[GET].*/rest/api/2/user[QueryParam::key==${e2e.users.alice.key}]`);
    expect(await userAs(open, `key=${e2e.users.alice.key}&username=admin`)).to.deep.equal({ status: 200, name: 'admin' });
  });

  it('should admit the named parameter alone and refuse it with any other, in the text form', async () => {
    const closed = await tokenWith(`[GET].*/rest/api/2/user[QueryParam::key==${e2e.users.alice.key}][NoOtherQueryParams]`);
    expect(await userAs(closed, `key=${e2e.users.alice.key}`)).to.deep.equal({ status: 200, name: 'alice' });
    for (const extra of ['username=admin', 'username=', 'expand=groups', 'key2=x', '=x']) {
      expect((await userAs(closed, `key=${e2e.users.alice.key}&${extra}`)).status, extra).to.equal(403);
    }
    expect((await userAs(closed, `username=admin&key=${e2e.users.alice.key}`)).status).to.equal(403);
  });

  it('should do the same in the structured form, keep the flag through a listing and show it in the text form', async () => {
    const token = await tokenWith({ rules: [{ method: 'GET', urlPattern: '.*/rest/api/2/user', queryParams: { key: e2e.users.alice.key }, noOtherQueryParams: true }] });
    expect((await userAs(token, `key=${e2e.users.alice.key}`)).status).to.equal(200);
    expect((await userAs(token, `key=${e2e.users.alice.key}&username=admin`)).status).to.equal(403);
    const listed = await e2e.as('bob', `${API}/user/token`);
    const rules = (listed.json as Array<{ restrictions: { rules: Array<Record<string, unknown>> } | null }>)
      .flatMap((t) => t.restrictions?.rules ?? []).filter((r) => r.noOtherQueryParams === true);
    expect(rules.length).to.be.at.least(1);
  });

  it('should refuse the flag in a structured rule when it is not a boolean, and create nothing', async () => {
    const before = ((await e2e.as('bob', `${API}/user/token`)).json as unknown[]).length;
    const res = await e2e.as('bob', `${API}/user/token`, {
      method: 'POST', body: { tokenDescription: 'bad flag', restrictions: { rules: [{ urlPattern: '.*', noOtherQueryParams: 'yes' }] } },
    });
    expect(res.status).to.equal(400);
    expect(((await e2e.as('bob', `${API}/user/token`)).json as unknown[]).length).to.equal(before);
  });
});
