// Attack review (2026-12-04): plugin state changes at run time (UPM disable/enable) and licence states.
// A token that keeps working, or a rule that stops applying, while the plugin is disabled, after
// it is enabled again, or while the licence is not valid; state changed meanwhile that a
// re-enabled plugin could miss.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

const PLUGIN_KEY = 'de.resolution.apitokenauth';
const UPM = `/rest/plugins/1.0/${PLUGIN_KEY}-key`;
const MYSELF = '/rest/api/2/myself';
const API_TOKENS = '/rest/api-tokens/latest';
const PICKER = `/plugins/servlet/${PLUGIN_KEY}/users/search?query=ali`;

forEachDatabase('Plugin state and licence (attack review)', (kind) => {
  let e2e: E2eEnv;
  before(async () => {
    e2e = await startE2e('jira', kind);
    await e2e.host.runtime.users.createGroup('token-users');
    for (const name of ['alice', 'bob', 'manager']) await e2e.host.runtime.users.addUserToGroup(name, 'token-users');
  });
  after(async () => {
    await e2e?.host.runtime.clock.setOffsetMillis(0);
    await stopAndCheckLeaks(e2e);
  });

  /** UPM through an administrator's session inside its websudo window (works while password Basic is off). */
  const setEnabled = async (enabled: boolean): Promise<void> => {
    const res = await e2e.inSession('admin', UPM, { method: 'PUT', body: { enabled } });
    expect(res.status, res.text).to.equal(200);
    expect(e2e.host.runtime.pluginStates.isEnabled(PLUGIN_KEY)).to.equal(enabled);
  };
  const settings = async (body: Record<string, unknown>): Promise<void> => {
    const res = await e2e.inSession('admin', `${API}/admin/settings`, { method: 'PUT', body });
    expect(res.status, res.text).to.equal(200);
  };

  it('should refuse every token, on every path, while the plugin is disabled, and its REST and servlet be gone', async () => {
    const { id, plainTextToken: token } = await e2e.createToken('alice');
    const asp = (await e2e.as('alice', `${API_TOKENS}/`)).json[0].id as string;
    expect((await e2e.req(MYSELF, { bearer: token })).status).to.equal(200);
    await setEnabled(false);
    try {
      expect((await e2e.req(MYSELF, { bearer: token })).status).to.equal(401);
      expect((await e2e.req(MYSELF, { auth: ['alice', token] })).status).to.equal(401);
      expect((await e2e.req('/rest/auth/1/session', { method: 'POST', body: { username: 'alice', password: token } })).status).to.equal(401);
      // The plugin's own resources are gone: nothing changes tokens while it is off.
      for (const [method, path] of [['GET', `${API}/user/token`], ['DELETE', `${API}/user/token/${id}`], ['POST', `${API}/user/token/${id}/rotate`],
        ['DELETE', `${API_TOKENS}/${asp}`], ['POST', `${API}/tokens/revoke`], ['GET', PICKER]] as const) {
        const res = await e2e.as('admin', path, { method, body: method === 'GET' ? undefined : {} });
        expect(res.status, `${method} ${path}`).to.equal(404);
      }
      // Not even an administrator's token reaches UPM to switch it back on.
      expect((await e2e.req(UPM, { method: 'PUT', auth: ['alice', token], body: { enabled: true } })).status).to.equal(401);
      expect(e2e.host.runtime.pluginStates.isEnabled(PLUGIN_KEY)).to.equal(false);
      // No failed-login count for the token sent as a password.
      expect((await e2e.as('alice', MYSELF)).status).to.equal(200);
    } finally {
      await setEnabled(true);
    }
    expect((await e2e.req(MYSELF, { bearer: token })).status).to.equal(200);
  });

  it('should enforce passwordBasicAuthAllowed, authSchemes and ipAllowlist on the very first requests after re-enabling', async () => {
    const { plainTextToken: token } = await e2e.createToken('bob');
    await settings({ passwordBasicAuthAllowed: false, authSchemes: 'bearer' });
    try {
      expect((await e2e.as('bob', MYSELF)).status).to.equal(401);
      await setEnabled(false);
      // Documented: while the plugin is off, the host's password login is back.
      expect((await e2e.as('bob', MYSELF)).status).to.equal(200);
      await setEnabled(true);
      // No request in between: the first ones after re-enabling must see the stored settings.
      const [pw, picker, basicToken, bearer] = await Promise.all([
        e2e.as('bob', MYSELF), e2e.as('manager', PICKER), e2e.req(MYSELF, { auth: ['bob', token] }), e2e.req(MYSELF, { bearer: token }),
      ]);
      expect(pw.status, 'password Basic').to.equal(401);
      expect(picker.status, 'password on the picker').to.equal(401);
      expect(basicToken.status, 'Basic token with bearer only').to.equal(401);
      expect(bearer.status, 'Bearer').to.equal(200);
      await settings({ ipAllowlist: ['10.0.0.0/8'] });
      await setEnabled(false);
      await setEnabled(true);
      expect((await e2e.req(MYSELF, { bearer: token })).status, 'Bearer from outside the allowlist').to.equal(403);
    } finally {
      await settings({ passwordBasicAuthAllowed: true, authSchemes: 'both', ipAllowlist: [] });
    }
    expect((await e2e.req(MYSELF, { bearer: token })).status).to.equal(200);
  });

  it('should refuse, after re-enabling, tokens whose owner was deactivated, ungrouped or whose expiry passed while the plugin was off', async () => {
    await settings({ tokenUserGroups: ['token-users'] });
    try {
      const alice = (await e2e.createToken('alice')).plainTextToken;
      const bob = (await e2e.createToken('bob')).plainTextToken;
      const short = (await e2e.createToken('manager', { tokenExpirationDateTimeMillis: e2e.host.runtime.clock.now() + 3_600_000 })).plainTextToken;
      for (const t of [alice, bob, short]) expect((await e2e.req(MYSELF, { bearer: t })).status).to.equal(200);
      await setEnabled(false);
      try {
        await e2e.host.runtime.users.setActive('alice', false);
        await e2e.host.runtime.users.removeUserFromGroup('bob', 'token-users');
        await e2e.host.runtime.clock.setOffsetMillis(2 * 3_600_000);
      } finally {
        await setEnabled(true);
      }
      expect((await e2e.req(MYSELF, { bearer: alice })).status, 'deactivated owner').to.equal(401);
      expect((await e2e.req(MYSELF, { bearer: bob })).status, 'owner out of tokenUserGroups').to.equal(401);
      expect((await e2e.req(MYSELF, { bearer: short })).status, 'expired meanwhile').to.equal(401);
    } finally {
      await e2e.host.runtime.clock.setOffsetMillis(0);
      await e2e.host.runtime.users.setActive('alice', true);
      await e2e.host.runtime.users.addUserToGroup('bob', 'token-users');
      await settings({ tokenUserGroups: [] });
    }
  });

  it('should keep passwordBasicAuthAllowed=false in force (REST and user picker) while the licence is expired or missing', async () => {
    const { plainTextToken: token } = await e2e.createToken('bob');
    await settings({ passwordBasicAuthAllowed: false });
    try {
      for (const state of ['expired', 'none'] as const) {
        await e2e.host.runtime.licenses.setState(PLUGIN_KEY, state);
        try {
          expect((await e2e.as('bob', MYSELF)).status, `password Basic, licence ${state}`).to.equal(401);
          expect((await e2e.as('manager', PICKER)).status, `picker, licence ${state}`).to.equal(401);
          expect((await e2e.req(MYSELF, { bearer: token })).status, `token, licence ${state}`).to.equal(401);
          // A token-shaped Basic password is not handed to the host's password check either.
          expect((await e2e.req(UPM, { method: 'PUT', auth: ['admin', token], body: { enabled: false } })).status).to.equal(401);
          expect(e2e.host.runtime.pluginStates.isEnabled(PLUGIN_KEY)).to.equal(true);
        } finally {
          await e2e.host.runtime.licenses.setState(PLUGIN_KEY, 'valid');
        }
      }
    } finally {
      await settings({ passwordBasicAuthAllowed: true });
    }
  });

  it('should not revive, when the licence is valid again, a cached token deleted or rotated while it was not', async () => {
    const deleted = await e2e.createToken('alice', { tokenDescription: 'deleted while unlicensed' });
    const rotated = await e2e.createToken('alice', { tokenDescription: 'rotated while unlicensed' });
    const viaApiTokens = await e2e.createToken('alice', { tokenDescription: 'api-tokens delete while unlicensed' });
    for (const t of [deleted, rotated, viaApiTokens]) expect((await e2e.req(MYSELF, { bearer: t.plainTextToken })).status).to.equal(200);
    const asp = ((await e2e.as('alice', `${API_TOKENS}/`)).json as Array<{ id: string; label: string }>).find((t) => t.label === 'api-tokens delete while unlicensed')!.id;
    await e2e.host.runtime.licenses.setState(PLUGIN_KEY, 'expired');
    let fresh: string;
    try {
      expect((await e2e.as('alice', `${API}/user/token/${deleted.id}`, { method: 'DELETE' })).status).to.equal(200);
      const r = await e2e.as('alice', `${API}/user/token/${rotated.id}/rotate`, { method: 'POST' });
      expect(r.status).to.equal(200);
      e2e.issued.push(fresh = r.json.plainTextToken);
      expect((await e2e.as('alice', `${API_TOKENS}/${asp}`, { method: 'DELETE' })).status).to.equal(204);
    } finally {
      await e2e.host.runtime.licenses.setState(PLUGIN_KEY, 'valid');
    }
    expect((await e2e.req(MYSELF, { bearer: deleted.plainTextToken })).status, 'deleted').to.equal(401);
    expect((await e2e.req(MYSELF, { bearer: rotated.plainTextToken })).status, 'old secret').to.equal(401);
    expect((await e2e.req(MYSELF, { bearer: viaApiTokens.plainTextToken })).status, 'deleted on /rest/api-tokens').to.equal(401);
    expect((await e2e.req(MYSELF, { bearer: fresh })).status, 'new secret').to.equal(200);
  });

  it('should refuse an administrator token every spelling of UPM that routes to this plugin, percent-encoded ones included', async () => {
    const admin = (await e2e.createToken('admin')).plainTextToken;
    // Escaped plain characters are refused before any rule (400 BAD_REQUEST_TARGET: routing and rules would read them apart).
    const spellings: Array<[string, 'FORBIDDEN' | 'BAD_REQUEST_TARGET']> = [
      [`/rest/plugins/1.0/de%2Eresolution.apitokenauth-key`, 'BAD_REQUEST_TARGET'],
      [`/rest/plugins/1.0/de.resolution%2eapitokenauth-key`, 'BAD_REQUEST_TARGET'],
      [`/rest/plugins/1.0/%64e.resolution.apitokenauth-key`, 'BAD_REQUEST_TARGET'],
      [`/REST/PLUGINS/1.0/${PLUGIN_KEY}-KEY`, 'FORBIDDEN'],
      [`/rest/plugins/1.0/${PLUGIN_KEY}-key?os_authType=basic`, 'FORBIDDEN'],
    ];
    for (const [path, code] of spellings) {
      for (const auth of [{ bearer: admin }, { auth: ['admin', admin] as const }]) {
        const res = await e2e.req(path, { method: 'PUT', ...auth, body: { enabled: false } });
        expectError(res, code, path);
        expect(e2e.host.runtime.pluginStates.isEnabled(PLUGIN_KEY), path).to.equal(true);
      }
    }
    // The plain spelling is the FORBIDDEN of docs/api.md.
    expectError(await e2e.req(UPM, { method: 'PUT', bearer: admin, body: { enabled: false } }), 'FORBIDDEN');
  });
});
