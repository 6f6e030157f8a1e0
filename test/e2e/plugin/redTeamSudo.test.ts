// Attack review 2026-12-02 (sudo and user-less tokens, the two most powerful callers): can a
// request running as another user reach the token API or the settings through any spelling of
// their paths, or leave a session behind; is every run-as check made per request (owner demoted,
// deactivated or deleted; target deactivated or made a system admin through a group); how are
// odd run-as headers read; does a user-less token outlive its creator's system-admin rights?
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { rawRequest } from '../restrictions/support/rawHttp';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const RUN_AS = 'X-Atlassian-Run-As';
const SYSADMINS = 'jira-administrators';

forEachDatabase('red team: sudo and user-less tokens', (kind) => {
  let e2e: E2eEnv;
  let sudo: string;

  const myself = (token: string, runAs?: string) =>
    e2e.req('/rest/api/2/myself', { bearer: token, headers: runAs === undefined ? {} : { [RUN_AS]: runAs } });
  const newUser = async (name: string, groups: string[] = ['jira-software-users']) => {
    await e2e.host.runtime.users.createUser({ name, password: `${name}-pw-1`, email: `${name}@example.com`, displayName: name.toUpperCase(), groups });
  };
  const tokenCount = async (user: 'alice' | 'admin') => ((await e2e.as(user, `${API}/user/token`)).json as unknown[]).length;
  const failedCount = async (name: string) => (await e2e.host.runtime.loginManager.getLoginInfo(name)).currentFailedLoginCount;

  before(async () => {
    e2e = await startE2e('jira', kind);
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: true } })).status).to.equal(200);
    sudo = (await e2e.createToken('admin', { tokenDescription: 'sudo', sudo: true })).plainTextToken;
  });
  after(() => stopAndCheckLeaks(e2e));

  describe('sudo never manages tokens or settings', () => {
    it('should refuse every spelling of the token API paths and change nothing', async () => {
      await e2e.createToken('alice', { tokenDescription: 'victim' });
      const before = await tokenCount('alice');
      const aliceKey = e2e.users.alice.key;
      const attempts: Array<[string, string, string?]> = [
        ['DELETE', '/rest/api-tokens/latest/all'],
        ['DELETE', '/rest/api-tokens/1.0/all'],
        ['DELETE', '/rest/api-tokens/latest/all/'],
        ['DELETE', '/Rest/Api-Tokens/latest/all'],
        ['DELETE', '/REST/API-TOKENS/LATEST/ALL'],
        ['DELETE', '/rest//api-tokens/latest/all'],
        ['DELETE', '/rest/api-tokens//latest/all'],
        ['DELETE', '/rest/%61pi-tokens/latest/all'],
        ['DELETE', '/rest/api%2dtokens/latest/all'],
        ['DELETE', '/rest/api-tokens%2flatest/all'],
        ['DELETE', '/rest/api-tokens;jsessionid=1/latest/all'],
        ['DELETE', '/rest/api-tokens/latest;jsessionid=1/all'],
        ['DELETE', '/rest/./api-tokens/latest/all'],
        ['DELETE', '/rest/x/../api-tokens/latest/all'],
        ['DELETE', '/rest/%2e/api-tokens/latest/all'],
        ['DELETE', '/jira/rest/api-tokens/latest/all'],
        ['DELETE', '/rest/api-tokens\\latest\\all'],
        ['POST', '/rest/api-tokens/latest/', JSON.stringify({ label: 'as alice' })],
        ['POST', '/rest/de.resolution.apitokenauth/latest/user/token', JSON.stringify({ tokenDescription: 'as alice' })],
        ['POST', '/rest/de.resolution.apitokenauth/1.0/user/token/', JSON.stringify({ tokenDescription: 'as alice' })],
        ['POST', '/rest/De.Resolution.ApiTokenAuth/latest/user/token', JSON.stringify({ tokenDescription: 'as alice' })],
        ['POST', '/rest/de%2eresolution%2eapitokenauth/latest/user/token', JSON.stringify({ tokenDescription: 'as alice' })],
        ['DELETE', `/rest/de.resolution.apitokenauth/latest/user/token/deleteAllFor/${aliceKey}`],
        ['PUT', '/rest/de.resolution.apitokenauth/latest/admin/settings', JSON.stringify({ sudoTokensAllowed: false })],
      ];
      for (const [method, path, body] of attempts) {
        const res = await rawRequest(e2e.host.url, path, {
          method, bearer: sudo, body,
          headers: { [RUN_AS]: 'alice', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        });
        expect(res.status, `${method} ${path}: ${res.text}`).to.be.oneOf([400, 401, 403, 404]);
        expect(res.text, path).to.not.include('apitok_');
      }
      expect(await tokenCount('alice')).to.equal(before);
      expect((await e2e.as('admin', `${API}/admin/settings`)).json.sudoTokensAllowed).to.equal(true);
    });

    it('should leave no session behind: no cookie from a sudo request, and the session API refuses it', async () => {
      for (const path of ['/rest/api/2/myself', '/rest/auth/1/session']) {
        const res = await e2e.req(path, { bearer: sudo, headers: { [RUN_AS]: 'alice' } });
        expect(res.status, path).to.equal(200);
        expect(res.headers.get('set-cookie'), path).to.equal(null);
      }
      const del = await e2e.req('/rest/auth/1/session', { method: 'DELETE', bearer: sudo, headers: { [RUN_AS]: 'alice' } });
      expect(del.status).to.equal(401);
      expect(del.headers.get('set-cookie')).to.equal(null);
    });
  });

  describe('run-as checks per request', () => {
    it('should stop a sudo token whose owner is deactivated or deleted, with and without the header', async () => {
      await newUser('root4', ['jira-software-users', SYSADMINS]);
      const res = await e2e.req(`${API}/user/token`, { method: 'POST', auth: ['root4', 'root4-pw-1'], body: { sudo: true } });
      expect(res.status, res.text).to.equal(200);
      e2e.issued.push(res.json.plainTextToken);
      const token = res.json.plainTextToken as string;
      expect((await myself(token, 'alice')).json.name).to.equal('alice');
      await e2e.host.runtime.users.setActive('root4', false);
      expect((await myself(token, 'alice')).status).to.equal(401);
      expect((await myself(token)).status).to.equal(401);
      await e2e.host.runtime.users.setActive('root4', true);
      expect((await myself(token, 'alice')).status).to.equal(200);
      await e2e.host.runtime.users.deleteUser('root4');
      expect((await myself(token, 'alice')).status).to.equal(401);
      expect((await myself(token)).status).to.equal(401);
    });

    it('should refuse a target the moment it is deactivated, deleted or made a system admin through a group', async () => {
      await newUser('target1');
      expect((await myself(sudo, 'target1')).json.name).to.equal('target1');
      await e2e.host.runtime.users.setActive('target1', false);
      expect((await myself(sudo, 'target1')).status).to.equal(403);
      await e2e.host.runtime.users.setActive('target1', true);
      expect((await myself(sudo, 'target1')).status).to.equal(200);
      await e2e.host.runtime.users.addUserToGroup('target1', SYSADMINS);
      expect((await myself(sudo, 'target1')).status).to.equal(403);
      await e2e.host.runtime.users.removeUserFromGroup('target1', SYSADMINS);
      expect((await myself(sudo, 'target1')).status).to.equal(200);
      await e2e.host.runtime.users.deleteUser('target1');
      expect((await myself(sudo, 'target1')).status).to.equal(403);
    });
  });

  describe('run-as header spellings', () => {
    it('should refuse a repeated header, a comma list, an empty or blank value', async () => {
      for (const value of [['alice', 'bob'], ['alice', 'alice'], 'alice,bob', 'alice, bob', '', '   ']) {
        const res = await rawRequest(e2e.host.url, '/rest/api/2/myself', { bearer: sudo, headers: { [RUN_AS]: value } });
        expect(res.status, JSON.stringify(value)).to.equal(403);
        expect(res.json?.name, JSON.stringify(value)).to.equal(undefined);
      }
    });

    it('should refuse the header with a user-less token and count no failed login for anyone', async () => {
      const { plainTextToken } = await e2e.createToken('admin', { userless: true, restrictions: '[GET].*/rest/api/2/myself' });
      const res = await e2e.req('/rest/api/2/myself', { auth: ['alice', plainTextToken], headers: { [RUN_AS]: 'bob' } });
      expect(res.status).to.equal(403);
      expect((await e2e.req('/rest/api/2/myself', { auth: ['alice', plainTextToken] })).json.name).to.equal('alice');
      expect(await failedCount('alice')).to.equal(0);
      expect(await failedCount('bob')).to.equal(0);
    });

    it('should audit a refused run-as with its reason and the owner, never the secret', async () => {
      const res = await myself(sudo, 'admin');
      expect(res.status).to.equal(403);
      const refused = await e2e.auditEvents('token.refused', (events) => JSON.stringify(events).includes('SUDO_TARGET_SYSADMIN'));
      const text = JSON.stringify(refused);
      expect(text).to.include('SUDO_TARGET_SYSADMIN');
      expect(text).to.not.include(sudo.slice(20));
    });
  });

  describe('user-less tokens', () => {
    it('should stop when its creator is no longer a system administrator', async () => {
      await newUser('root6', ['jira-software-users', SYSADMINS]);
      const res = await e2e.req(`${API}/user/token`, { method: 'POST', auth: ['root6', 'root6-pw-1'], body: { userless: true, restrictions: '[GET].*/rest/api/2/myself' } });
      expect(res.status, res.text).to.equal(200);
      e2e.issued.push(res.json.plainTextToken);
      expect((await e2e.req('/rest/api/2/myself', { auth: ['alice', res.json.plainTextToken] })).status).to.equal(200);
      const use = async () => (await e2e.req('/rest/api/2/myself', { auth: ['alice', res.json.plainTextToken] })).status;
      await e2e.host.runtime.users.removeUserFromGroup('root6', SYSADMINS);
      expect(await use()).to.equal(401);
      expect(e2e.logs.some((l) => l.includes('USERLESS_CREATOR_NOT_SYSADMIN') && l.includes('API token refused'))).to.equal(true);
      await e2e.host.runtime.users.addUserToGroup('root6', SYSADMINS);
      expect(await use()).to.equal(200);
      await e2e.host.runtime.users.setActive('root6', false);
      expect(await use()).to.equal(401);
      await e2e.host.runtime.users.setActive('root6', true);
      expect(await use()).to.equal(200);
      await e2e.host.runtime.users.deleteUser('root6');
      expect(await use()).to.equal(401);
      expect(await failedCount('alice')).to.equal(0);
    });

    it('should never act by a key or e-mail address, nor as a deactivated user', async () => {
      const { plainTextToken } = await e2e.createToken('admin', { userless: true, restrictions: '[GET].*/rest/api/2/myself' });
      for (const claimed of [e2e.users.bob.key, 'bob@example.com', e2e.users.admin.email]) {
        expect((await e2e.req('/rest/api/2/myself', { auth: [claimed, plainTextToken] })).status, claimed).to.equal(401);
      }
      await newUser('sleeper');
      await e2e.host.runtime.users.setActive('sleeper', false);
      expect((await e2e.req('/rest/api/2/myself', { auth: ['sleeper', plainTextToken] })).status).to.equal(401);
    });
  });
});
