// A token typed into a restriction (a URL or condition pattern, a parameter, header or JSON node
// name), on create, on behalf of another user, on edit, would be stored and shown in full to the
// owner's administrators and managers: token lists, tokensByFilter, the `token changed` audit
// event. It is refused instead (400 `restrictionsToken`), and the refusal changes nothing.
import { expect } from 'chai';
import { API, dumpDatabase, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

describe('secrets in restrictions', () => {
  let e2e: E2eEnv;
  let leaked: string;
  let secret: string;

  /** Restrictions in each accepted shape, each holding `t`. */
  const holding = (t: string): unknown[] => [
    `[GET].*/rest/api/2/issue/${t}`,
    `[GET].*/rest/api/2/search[QueryParam::token==${t}]`,
    `.*/rest/api/2/myself[Header::${t}==.*]`,
    `[POST].*/rest/api/2/issue[JsonData::fields.${t}==x]`,
    { rules: [{ method: 'GET', urlPattern: '.*/rest/api/2/myself', queryParams: [{ name: 'ref', pattern: t }] }] },
    [`[GET].*/rest/api/2/myself`, `.*${t.toLowerCase()}.*`],
  ];

  /** Everywhere a stored restriction is read back: the owner's list, the admin's filter, the database, the audit log. */
  async function expectSecretNowhere(): Promise<void> {
    const own = await e2e.as('alice', `${API}/user/token`);
    const admin = await e2e.as('admin', `${API}/user/tokensByFilter?notValidAfter=-1`);
    const audit = await e2e.as('admin', '/rest/auditing/1.0/events?limit=1000');
    for (const [where, text] of [['own list', own.text], ['tokensByFilter', admin.text], ['audit', audit.text], ['database', await dumpDatabase(e2e.host.dbUrl)]]) {
      expect(text, where).to.not.include(secret);
    }
  }

  const aliceTokenCount = async (): Promise<number> => (await e2e.as('alice', `${API}/user/token`)).json.length as number;

  function expectRefused(res: { status: number; text: string; json: { errors?: Record<string, string> } }, field: string): void {
    expect(res.status, res.text).to.equal(400);
    expect(Object.keys(res.json.errors ?? {})).to.deep.equal([field]);
    expect(res.text).to.not.include(secret);
  }

  before(async () => {
    e2e = await startE2e('jira', 'sqlite');
    leaked = (await e2e.createToken('alice')).plainTextToken;
    secret = leaked.slice(20, 48);
  });
  after(() => stopAndCheckLeaks(e2e));

  it('should refuse a token in the restrictions of a new token and create nothing', async () => {
    const before = await aliceTokenCount();
    for (const restrictions of holding(leaked)) {
      const res = await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: { tokenDescription: 'CI', restrictions } });
      expectRefused(res, 'restrictions');
    }
    expect(await aliceTokenCount()).to.equal(before);
    await expectSecretNowhere();
  });

  it('should refuse a token in the restrictions of a token created on behalf of a user or without one', async () => {
    const before = await aliceTokenCount();
    for (const restrictions of holding(leaked)) {
      expectRefused(await e2e.as('manager', `${API}/user/token`, { method: 'POST', body: { tokenForUserKey: e2e.users.alice.key, restrictions } }), 'restrictions');
      expectRefused(await e2e.as('admin', `${API}/user/token`, { method: 'POST', body: { userless: true, restrictions } }), 'restrictions');
    }
    expect(await aliceTokenCount()).to.equal(before);
    const all = await e2e.as('admin', `${API}/user/tokensByFilter?notValidAfter=-1`);
    expect(all.json.total).to.equal(before);
    await expectSecretNowhere();
  });

  it('should refuse a token as new restrictions, by the owner or a manager, and keep the old ones', async () => {
    const kept = '[GET].*/rest/api/2/myself';
    const { id } = await e2e.createToken('alice', { tokenDescription: 'restricted', restrictions: kept });
    for (const user of ['alice', 'manager'] as const) {
      for (const restrictions of holding(leaked)) {
        expectRefused(await e2e.as(user, `${API}/user/token/${id}`, { method: 'PATCH', body: { tokenDescription: 'renamed', restrictions } }), 'restrictions');
      }
    }
    const row = ((await e2e.as('alice', `${API}/user/token`)).json as Array<{ id: number; description: string; restrictionsText: string }>).find((t) => t.id === id);
    expect(row?.description).to.equal('restricted');
    expect(row?.restrictionsText).to.equal(kept);
    await expectSecretNowhere();
  });

  it('should refuse a token in the IP allowlist', async () => {
    const before = await aliceTokenCount();
    const res = await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: { ipAllowlist: [`fe80::1%${leaked}`] } });
    expect(res.status).to.equal(400);
    expect(Object.keys(res.json.errors).every((field) => field.startsWith('ipAllowlist'))).to.equal(true);
    expect(res.text).to.not.include(secret);
    expect(await aliceTokenCount()).to.equal(before);
  });

  it('should refuse restrictions in a regenerate or a /rest/api-tokens create, without echoing them', async () => {
    const { id, plainTextToken } = await e2e.createToken('alice', { tokenDescription: 'rotated?' });
    const rotate = await e2e.as('alice', `${API}/user/token/${id}/rotate`, { method: 'POST', body: { restrictions: holding(leaked)[0] } });
    expect(rotate.status).to.equal(400);
    expect(rotate.text).to.not.include(secret);
    // Nothing regenerated: the old secret still signs in.
    expect((await e2e.req('/rest/api/2/myself', { bearer: plainTextToken })).status).to.equal(200);
    const before = await aliceTokenCount();
    const label = await e2e.as('alice', '/rest/api-tokens/latest/', { method: 'POST', body: { label: 'x', restrictions: holding(leaked)[0] } });
    expect(label.status).to.equal(400);
    expect(label.text).to.not.include(secret);
    expect(await aliceTokenCount()).to.equal(before);
  });

  it('should say why in English and German', async () => {
    const messages = [];
    for (const language of ['en', 'de']) {
      const res = await e2e.as('alice', `${API}/user/token`, { method: 'POST', headers: { 'Accept-Language': language }, body: { restrictions: holding(leaked)[0] } });
      expectRefused(res, 'restrictions');
      messages.push(res.json.errors.restrictions as string);
    }
    expect(messages[0]).to.not.match(/^apitokenauth\./);
    expect(messages[1]).to.not.match(/^apitokenauth\./);
    expect(messages[0]).to.not.equal(messages[1]);
  });

  it('should still take restrictions that name a token by its public id only', async () => {
    const publicIdOnly = `[GET].*/rest/api/2/search[QueryParam::ref==${leaked.slice(0, 20)}.*]`;
    const res = await e2e.as('manager', `${API}/user/token`, { method: 'POST', body: { tokenForUserKey: e2e.users.alice.key, restrictions: publicIdOnly } });
    expect(res.status, res.text).to.equal(200);
    e2e.issued.push(res.json.plainTextToken);
    const row = ((await e2e.as('alice', `${API}/user/token`)).json as Array<{ id: number; restrictionsText: string }>).find((t) => t.id === res.json.id);
    expect(row?.restrictionsText).to.equal(publicIdOnly);
  });
});
