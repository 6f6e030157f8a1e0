// Issue 12 A, licence (seed 003: "Without valid license still possible to manage tokens but
// authentication will not work"), on every database: while the licence is expired or missing,
// users create, list, edit, regenerate and delete tokens on both APIs; only signing in with a
// token is refused. `GET …/user/token/status` tells pages before anyone tries.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';
import { pluginI18n } from './support/pluginI18n';

const MYSELF = '/rest/api/2/myself';
const API_TOKENS = '/rest/api-tokens/latest';
const STATUS = `${API}/user/token/status`;

forEachDatabase('tokens without a valid licence', (kind) => {
  let e2e: E2eEnv;

  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  const licence = async (state: 'valid' | 'expired' | 'none') => {
    const res = await e2e.as('admin', '/rest/hostsim/1.0/license/de.resolution.apitokenauth', { method: 'PUT', body: { state } });
    expect(res.status).to.equal(200);
  };

  for (const state of ['expired', 'none'] as const) {
    it(`should manage tokens on both APIs while the licence is ${state}, and refuse only their use`, async () => {
      const before = await e2e.createToken('alice', { tokenDescription: `before ${state}` });
      await licence(state);
      try {
        const created = await e2e.as('alice', `${API}/user/token`, { method: 'POST', body: { tokenDescription: `during ${state}` } });
        expect(created.status).to.equal(200);
        e2e.issued.push(created.json.plainTextToken);
        const labelled = await e2e.as('alice', `${API_TOKENS}/`, { method: 'POST', body: { label: `label during ${state}` } });
        expect(labelled.status).to.equal(200);
        e2e.issued.push(labelled.json.token);
        const list = (await e2e.as('alice', `${API}/user/token`)).json as Array<{ id: number; description: string }>;
        expect(list.map((t) => t.description)).to.include.members([`before ${state}`, `during ${state}`, `label during ${state}`]);
        expect((await e2e.as('alice', `${API_TOKENS}/`)).status).to.equal(200);
        const renamed = await e2e.as('alice', `${API}/user/token/${created.json.id}`, { method: 'PATCH', body: { tokenDescription: `renamed during ${state}` } });
        expect(renamed.status).to.equal(200);
        const rotated = await e2e.as('alice', `${API}/user/token/${before.id}/rotate`, { method: 'POST', body: { tokenValidityTimeInMonths: 2 } });
        expect(rotated.status).to.equal(200);
        e2e.issued.push(rotated.json.plainTextToken);
        // Signing in with any of them is refused, old or new.
        for (const token of [rotated.json.plainTextToken, created.json.plainTextToken, labelled.json.token]) {
          expect((await e2e.req(MYSELF, { bearer: token })).status).to.equal(401);
        }
        expect((await e2e.as('alice', `${API_TOKENS}/${labelled.json.id}`, { method: 'DELETE' })).status).to.equal(204);
        await licence('valid');
        // The tokens made without a licence work once it is valid again.
        expect((await e2e.req(MYSELF, { bearer: created.json.plainTextToken })).status).to.equal(200);
        expect((await e2e.req(MYSELF, { bearer: rotated.json.plainTextToken })).status).to.equal(200);
        expect((await e2e.req(MYSELF, { bearer: labelled.json.token })).status).to.equal(401);
        expect((await e2e.as('alice', `${API}/user/token/${created.json.id}`, { method: 'DELETE' })).status).to.equal(200);
      } finally {
        await licence('valid');
      }
    });
  }

  it('should tell pages the licence state, in English and German, before anyone tries', async () => {
    const valid = await e2e.as('alice', STATUS);
    expect(valid.status).to.equal(200);
    expect(valid.json).to.deep.equal({ licenseState: 'valid', licensed: true, secureMode: false, mayUseTokens: true, warnings: [] });
    await licence('expired');
    try {
      for (const locale of ['en', 'de'] as const) {
        const res = await e2e.as('bob', STATUS, { headers: { 'Accept-Language': locale } });
        expect(res.status).to.equal(200);
        expect(res.json).to.deep.equal({
          licenseState: 'expired', licensed: false, secureMode: false, mayUseTokens: true,
          warnings: [{ code: 'UNLICENSED', message: pluginI18n.getText(locale, 'apitokenauth.status.UNLICENSED') }],
        });
      }
      await licence('none');
      expect((await e2e.as('admin', STATUS)).json).to.include({ licenseState: 'none', licensed: false });
    } finally {
      await licence('valid');
    }
    expect((await e2e.req(STATUS)).status).to.equal(401);
  });

  it('should tell a user outside tokenUserGroups that their tokens would not work', async () => {
    await e2e.host.runtime.users.createGroup('api-users');
    await e2e.host.runtime.users.addUserToGroup('carol', 'api-users');
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { tokenUserGroups: ['api-users'] } })).status).to.equal(200);
    try {
      const outside = await e2e.as('bob', STATUS);
      expect(outside.json).to.include({ mayUseTokens: false, licensed: true });
      expect(outside.json.warnings).to.deep.equal([{ code: 'TOKENS_NOT_ALLOWED', message: pluginI18n.getText('en', 'apitokenauth.status.TOKENS_NOT_ALLOWED') }]);
      expect((await e2e.as('carol', STATUS)).json).to.include({ mayUseTokens: true });
      // Through a token the status is a read like any other.
      const carolToken = await e2e.createToken('carol');
      const viaToken = await e2e.req(STATUS, { bearer: carolToken.plainTextToken });
      expect(viaToken.status).to.equal(200);
      expect(viaToken.json.warnings).to.deep.equal([]);
    } finally {
      await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { tokenUserGroups: [] } });
    }
  });
});
