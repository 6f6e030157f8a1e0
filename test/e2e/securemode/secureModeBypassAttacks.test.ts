// Attack review (2026-12-04): secure mode (apitokenauth.secure.mode=true). After creation a token's
// expiry, scope, restrictions (and description) must not change: every route spelling, method,
// the second API, tokens and on-behalf callers, settings that could act retroactively, and a
// disable/enable of the plugin.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';

const PLUGIN_KEY = 'de.resolution.apitokenauth';
const UPM = `/rest/plugins/1.0/${PLUGIN_KEY}-key`;
const API_TOKENS = '/rest/api-tokens/latest';
const MYSELF = '/rest/api/2/myself';

forEachDatabase('Secure mode bypasses (attack review)', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('jira', kind, { APITOKENAUTH_SECURE_MODE: 'true' }); });
  after(() => stopAndCheckLeaks(e2e));

  type Row = { id: number; description: string; tokenScope: number; validUntil: number; restrictionsText?: string };
  const rowOf = async (id: number): Promise<Row> => {
    const list = (await e2e.as('admin', `${API}/user/tokensByFilter?notValidAfter=-1&limit=50`)).json.content as Row[];
    const found = list.find((t) => t.id === id);
    expect(found, `token ${id}`).to.not.equal(undefined);
    return locked(found!);
  };
  /** The fields secure mode locks (last access moves with use). */
  const locked = (t: Row): Row => ({ id: t.id, description: t.description, tokenScope: t.tokenScope, validUntil: t.validUntil, restrictionsText: t.restrictionsText });
  const ownRow = async (user: 'alice' | 'manager', id: number): Promise<Row> => locked((await e2e.as(user, `${API}/user/token`)).json.find((t: Row) => t.id === id));

  it('should lock a token on every spelling and method of the change and regenerate routes, for owner, owner token and on-behalf manager', async () => {
    const created = await e2e.createToken('alice', { tokenDescription: 'locked', restrictions: '[GET].*/rest/api/2/myself', tokenScope: 2, tokenValidityTimeInMonths: 2 });
    const callerToken = (await e2e.createToken('alice', { tokenDescription: 'caller' })).plainTextToken;
    const before = await ownRow('alice', created.id);
    const changes: Array<Record<string, unknown>> = [
      { restrictions: null }, { ipAllowlist: [] }, { tokenScope: 1 }, { tokenValidityTimeInMonths: 12 },
      { tokenExpirationDateTimeMillis: before.validUntil + 86_400_000 }, { tokenExpirationDateTime: '2099-01-01T00:00:00+00:00' },
    ];
    const paths = [
      `${API}/user/token/${created.id}`, `${API}/user/token/${created.id}/`, `/rest/de.resolution.apitokenauth/1.0/user/token/${created.id}`,
      `/rest/de.resolution.apitokenauth/LATEST/USER/TOKEN/${created.id}`, `${API}/user/token/${created.id}?tokenScope=1`,
    ];
    const callers = [
      { auth: ['alice', e2e.users.alice.password] as const }, { bearer: callerToken }, { auth: ['manager', e2e.users.manager.password] as const },
    ];
    for (const who of callers) {
      for (const path of paths) {
        for (const body of changes) {
          const res = await e2e.req(path, { method: 'PATCH', ...who, body });
          expect(res.status, `PATCH ${path} ${JSON.stringify(body)} ${res.text}`).to.equal(403);
        }
        for (const method of ['PUT', 'POST'] as const) {
          const res = await e2e.req(path, { method, ...who, body: { tokenScope: 1, restrictions: null, tokenValidityTimeInMonths: 12 } });
          expect(res.status, `${method} ${path}`).to.be.oneOf([403, 404, 405]);
        }
        const override = await e2e.req(path, { method: 'POST', ...who, headers: { 'X-HTTP-Method-Override': 'PATCH' }, body: { restrictions: null } });
        expect(override.status, `override ${path}`).to.be.oneOf([403, 404, 405]);
        for (const body of [undefined, {}, { tokenValidityTimeInMonths: 12 }]) {
          const rotate = await e2e.req(`${path.replace(/\/?(\?.*)?$/, '')}/rotate`, { method: 'POST', ...who, body });
          expect(rotate.status, `rotate ${path}`).to.equal(403);
          expect(rotate.text).not.to.include('apitok_');
        }
      }
    }
    expectError(await e2e.as('manager', `${API}/user/token/${created.id}/rotate`, { method: 'POST' }), 'SECURE_MODE_LOCKED', 'manager rotate');
    const after = await ownRow('alice', created.id);
    expect(after).to.deep.equal(before);
    const res = await e2e.req(MYSELF, { bearer: created.plainTextToken });
    expect(res.status).to.equal(200);
    expect((await e2e.req('/rest/api/2/serverInfo', { bearer: created.plainTextToken })).status, 'restriction still applies').to.equal(403);
  });

  it('should give /rest/api-tokens no route that changes or regenerates a token', async () => {
    const created = await e2e.createToken('alice', { tokenDescription: 'second api', tokenValidityTimeInMonths: 1 });
    const asp = ((await e2e.as('alice', `${API_TOKENS}/`)).json as Array<{ id: string; label: string }>).find((t) => t.label === 'second api')!.id;
    const before = await ownRow('alice', created.id);
    const body = { label: 'renamed', tokenScope: 1, expiresAt: Date.now() + 10 * 365 * 86_400_000 };
    for (const [method, path] of [['PATCH', `/${asp}`], ['PUT', `/${asp}`], ['POST', `/${asp}`], ['POST', `/${asp}/rotate`], ['POST', `/${asp}/regenerate`],
      ['PUT', '/'], ['PATCH', '/'], ['POST', `/?id=${asp}`]] as const) {
      const res = await e2e.as('alice', `${API_TOKENS}${path}`, { method, body: path.startsWith('/?id') ? { label: 'x', id: asp } : body });
      if (res.json?.token) e2e.issued.push(res.json.token);
      expect(res.status, `${method} ${path} ${res.text}`).to.be.oneOf([400, 403, 404, 405]);
    }
    expect(await ownRow('alice', created.id)).to.deep.equal(before);
  });

  it('should not change existing tokens retroactively when maxValidityMonths is lowered, the default or readOnlyOnlyGroups', async () => {
    const created = await e2e.createToken('alice', { tokenDescription: 'retro', tokenValidityTimeInMonths: 12 });
    const before = await rowOf(created.id);
    await e2e.host.runtime.users.createGroup('ro-group');
    await e2e.host.runtime.users.addUserToGroup('alice', 'ro-group');
    const put = await e2e.inSession('admin', `${API}/admin/settings`, { method: 'PUT', body: { maxValidityMonths: 1, defaultValidityMonths: 1, readOnlyOnlyGroups: ['ro-group'] } });
    expect(put.status, put.text).to.equal(200);
    try {
      // The stored row is untouched (expiry, scope); the group rule applies per request instead.
      expect(await rowOf(created.id)).to.deep.equal(before);
      expect((await e2e.req(MYSELF, { bearer: created.plainTextToken })).status).to.equal(200);
      expect((await e2e.req('/rest/api/2/issue', { method: 'POST', bearer: created.plainTextToken, body: {} })).status).to.equal(403);
    } finally {
      const back = await e2e.inSession('admin', `${API}/admin/settings`, { method: 'PUT', body: { maxValidityMonths: 12, defaultValidityMonths: 12, readOnlyOnlyGroups: [] } });
      expect(back.status).to.equal(200);
    }
    expect(await rowOf(created.id)).to.deep.equal(before);
  });

  it('should stay in secure mode after the plugin is disabled and enabled again', async () => {
    const created = await e2e.createToken('alice', { tokenDescription: 'across re-enable' });
    for (const enabled of [false, true]) {
      const res = await e2e.inSession('admin', UPM, { method: 'PUT', body: { enabled } });
      expect(res.status, res.text).to.equal(200);
    }
    expectError(await e2e.as('alice', `${API}/user/token/${created.id}`, { method: 'PATCH', body: { tokenScope: 1 } }), 'SECURE_MODE_LOCKED');
    expectError(await e2e.as('alice', `${API}/user/token/${created.id}/rotate`, { method: 'POST' }), 'SECURE_MODE_LOCKED');
    expect((await e2e.as('alice', `${API}/user/token/status`)).json).to.include({ secureMode: true });
  });
});
