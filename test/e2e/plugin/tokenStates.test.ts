// What happens to a token request in every state of token, owner, licence and settings,
// against a real host (clock and licence moved through the dev toolbox).
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from './support/e2eHost';

for (const product of ['jira', 'confluence'] as const) {
  const MYSELF = product === 'jira' ? '/rest/api/2/myself' : '/rest/api/user/current';
  const nameOf = (json: Record<string, unknown>) => (product === 'jira' ? json.name : json.username);

  forEachDatabase(`token states on ${product}`, (kind) => {
    let e2e: E2eEnv;
    before(async () => { e2e = await startE2e(product, kind); });
    after(() => stopAndCheckLeaks(e2e));

    const settings = (body: Record<string, unknown>) => e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body });

    it('should authenticate a valid token by Basic and Bearer with one log line each', async () => {
      const { id, plainTextToken } = await e2e.createToken('alice');
      const basic = await e2e.req(MYSELF, { auth: ['alice', plainTextToken] });
      expect(basic.status).to.equal(200);
      expect(nameOf(basic.json)).to.equal('alice');
      expect(basic.headers.get('set-cookie')).to.equal(null);
      const bearer = await e2e.req(MYSELF, { bearer: plainTextToken });
      expect(nameOf(bearer.json)).to.equal('alice');
      expect(e2e.logs.filter((l) => l.includes(`alice has been authenticated via API Token (${id})`))).to.have.length(2);
      const ours = (events: Array<Record<string, unknown>>) => events.some((ev) => (ev.affectedObjects as Array<{ id: string }>)[0]?.id === String(id));
      expect(ours(await e2e.auditEvents('token.used', ours))).to.equal(true);
    });

    it('should refuse an expired token once the clock passes its expiry', async () => {
      const { plainTextToken } = await e2e.createToken('alice', { tokenValidityTimeInMonths: 1 });
      expect((await e2e.req(MYSELF, { bearer: plainTextToken })).status).to.equal(200);
      try {
        expect((await e2e.as('admin', '/rest/hostsim/1.0/clock', { method: 'PUT', body: { offsetMillis: 40 * 86400000 } })).status).to.equal(200);
        const res = await e2e.req(MYSELF, { bearer: plainTextToken });
        expect(res.status).to.equal(401);
        expect(res.headers.get('www-authenticate')).to.match(/^Bearer/);
      } finally {
        await e2e.as('admin', '/rest/hostsim/1.0/clock', { method: 'PUT', body: { offsetMillis: 0 } });
      }
      const refused = await e2e.auditEvents('token.refused', (events) => JSON.stringify(events).includes('EXPIRED'));
      expect(JSON.stringify(refused)).to.include('EXPIRED');
    });

    it('should refuse tokens of inactive and deleted owners', async () => {
      await e2e.host.runtime.users.createUser({ name: 'temp1', password: 'temp1-pw', email: 'temp1@example.com', displayName: 'T1' });
      await e2e.host.runtime.users.createUser({ name: 'temp2', password: 'temp2-pw', email: 'temp2@example.com', displayName: 'T2' });
      const t1 = await e2e.req(`${API}/user/token`, { method: 'POST', auth: ['temp1', 'temp1-pw'], body: {} });
      const t2 = await e2e.req(`${API}/user/token`, { method: 'POST', auth: ['temp2', 'temp2-pw'], body: {} });
      e2e.issued.push(t1.json.plainTextToken, t2.json.plainTextToken);
      expect((await e2e.req(MYSELF, { bearer: t1.json.plainTextToken })).status).to.equal(200);
      await e2e.host.runtime.users.setActive('temp1', false);
      await e2e.host.runtime.users.deleteUser('temp2');
      expect((await e2e.req(MYSELF, { bearer: t1.json.plainTextToken })).status).to.equal(401);
      expect((await e2e.req(MYSELF, { auth: ['temp2', t2.json.plainTextToken] })).status).to.equal(401);
    });

    it('should refuse every token while the licence is not valid', async () => {
      const { plainTextToken } = await e2e.createToken('alice');
      try {
        expect((await e2e.as('admin', '/rest/hostsim/1.0/license/de.resolution.apitokenauth', { method: 'PUT', body: { state: 'expired' } })).status).to.equal(200);
        expect((await e2e.req(MYSELF, { bearer: plainTextToken })).status).to.equal(401);
      } finally {
        await e2e.as('admin', '/rest/hostsim/1.0/license/de.resolution.apitokenauth', { method: 'PUT', body: { state: 'valid' } });
      }
      expect((await e2e.req(MYSELF, { bearer: plainTextToken })).status).to.equal(200);
    });

    it('should admit a valid token whatever the CAPTCHA state of its owner', async () => {
      const { plainTextToken } = await e2e.createToken('carol');
      for (let i = 0; i < 3; i++) await e2e.req(MYSELF, { auth: ['carol', 'wrong-password'] });
      expect((await e2e.req(MYSELF, { auth: ['carol', 'carol-pw-1'] })).status).to.equal(403);
      const res = await e2e.req(MYSELF, { auth: ['carol', plainTextToken] });
      expect(res.status).to.equal(200);
      expect(res.headers.get('x-seraph-loginreason')).to.equal(null);
      expect((await e2e.req(MYSELF, { bearer: plainTextToken })).status).to.equal(200);
      await e2e.as('admin', '/rest/hostsim/1.0/users/carol/resetFailedLoginCount', { method: 'POST' });
    });

    it('should never count a wrong token on the failed-login counter, nor reset it with a right one', async () => {
      const { plainTextToken } = await e2e.createToken('bob');
      const wrong = `${plainTextToken.slice(0, -6)}000000`;
      expect((await e2e.req(MYSELF, { auth: ['bob', wrong] })).status).to.equal(401);
      expect((await e2e.host.runtime.loginManager.getLoginInfo('bob')).currentFailedLoginCount).to.equal(0);
      await e2e.req(MYSELF, { auth: ['bob', 'wrong-password'] });
      expect((await e2e.req(MYSELF, { auth: ['bob', plainTextToken] })).status).to.equal(200);
      expect((await e2e.host.runtime.loginManager.getLoginInfo('bob')).currentFailedLoginCount).to.equal(1);
      await e2e.as('admin', '/rest/hostsim/1.0/users/bob/resetFailedLoginCount', { method: 'POST' });
    });

    it('should honour each authSchemes value and passwordBasicAuthAllowed', async () => {
      const { plainTextToken } = await e2e.createToken('alice');
      const expectations: Array<[string, number, number]> = [['basic', 200, 401], ['bearer', 401, 200], ['both', 200, 200]];
      for (const [schemes, basicStatus, bearerStatus] of expectations) {
        expect((await settings({ authSchemes: schemes })).status).to.equal(200);
        expect((await e2e.req(MYSELF, { auth: ['alice', plainTextToken] })).status, `${schemes} basic`).to.equal(basicStatus);
        expect((await e2e.req(MYSELF, { bearer: plainTextToken })).status, `${schemes} bearer`).to.equal(bearerStatus);
      }
      expect((await e2e.as('alice', MYSELF)).status).to.equal(200);
      // Password Basic auth is about to be switched off: the admin comes back in a session
      // (a token may not switch it back on: that relaxes a setting).
      expect((await settings({ passwordBasicAuthAllowed: false })).status).to.equal(200);
      try {
        const res = await e2e.as('alice', MYSELF);
        expect(res.status).to.equal(401);
        expect((await e2e.req(MYSELF, { auth: ['alice', plainTextToken] })).status).to.equal(200);
      } finally {
        const back = await e2e.inSession('admin', `${API}/admin/settings`, { method: 'PUT', body: { passwordBasicAuthAllowed: true } });
        expect(back.status).to.equal(200);
      }
    });

    it('should refuse a read-only token\'s writes with 403 and allow its reads', async () => {
      const { plainTextToken } = await e2e.createToken('alice', { tokenScope: 1 });
      expect((await e2e.req(MYSELF, { bearer: plainTextToken })).status).to.equal(200);
      const write = await e2e.req(`${API}/user/token/1`, { method: 'DELETE', bearer: plainTextToken });
      expect(write.status).to.equal(403);
    });

    it('should stop and resume with the plugin being disabled and enabled at run time', async () => {
      const { plainTextToken } = await e2e.createToken('alice');
      const upm = '/rest/plugins/1.0/de.resolution.apitokenauth-key';
      expect((await e2e.as('admin', upm, { method: 'PUT', body: { enabled: false } })).status).to.equal(200);
      try {
        // Without the plugin nobody reads the token: Jira answers 401, Confluence the anonymous user.
        const res = await e2e.req(MYSELF, { bearer: plainTextToken });
        expect(res.status === 200 ? nameOf(res.json) : null).to.not.equal('alice');
        expect((await e2e.as('alice', `${API}/user/token`)).status).to.equal(404);
      } finally {
        await e2e.as('admin', upm, { method: 'PUT', body: { enabled: true } });
      }
      expect((await e2e.req(MYSELF, { bearer: plainTextToken })).status).to.equal(200);
    });
  });
}
