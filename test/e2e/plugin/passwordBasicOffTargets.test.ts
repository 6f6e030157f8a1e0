// With `passwordBasicAuthAllowed` off, a password in Basic auth is refused on every request that
// routing can take to a REST resource, and never reaches the host's login (which would check it
// and count a wrong one). Two ways around it were open: a request target the filter cannot read
// one way only (a fragment, over 8 KiB), which it used to hand to the login although routing
// still reached the resource; and an empty password, which passport's Basic strategy fails, so
// the header went to the login, where three of them put any user into CAPTCHA state.
import http from 'node:http';
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { expectError } from '../../support/errorCodes';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

interface RawAnswer { status: number; text: string }

/** One request with its target sent exactly as written (fetch would drop a fragment). */
function rawRequest(base: string, target: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<RawAnswer> {
  const url = new URL(base);
  const extra: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path: target, headers: { ...headers, ...extra } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}` });

forEachDatabase('TokenAuthFilter: password Basic switched off, on every target routing reaches', (kind) => {
  let e2e: E2eEnv;
  let context: string;
  let adminToken: string;
  const failedLogins = async (name: string) => (await e2e.host.runtime.loginManager.getLoginInfo(name)).currentFailedLoginCount;

  before(async () => {
    e2e = await startE2e('jira', kind);
    context = new URL(e2e.host.url).pathname.replace(/\/$/, '');
    adminToken = (await e2e.createToken('admin', { tokenDescription: 'settings switch' })).plainTextToken;
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { passwordBasicAuthAllowed: false } })).status).to.equal(200);
  });
  after(async () => {
    await e2e?.inSession('admin', `${API}/admin/settings`, { method: 'PUT', body: { passwordBasicAuthAllowed: true } });
    await stopAndCheckLeaks(e2e);
  });

  it('should refuse a password on a REST URL with a fragment or an over-long target, as on the plain target', async () => {
    const alice = basic('alice', e2e.users.alice.password);
    expectError(await rawRequest(e2e.host.url, `${context}/rest/api/2/myself`, alice), 'TOKEN_AUTH_FAILED', 'plain target');
    expectError(await rawRequest(e2e.host.url, `${context}/rest/api/2/myself#`, alice), 'BAD_REQUEST_TARGET', 'with a fragment');
    expectError(await rawRequest(e2e.host.url, `${context}/rest/api/2/myself?pad=${'a'.repeat(8200)}`, alice), 'BAD_REQUEST_TARGET', 'over 8 KiB');
    expect(await failedLogins('alice')).to.equal(0);
  });

  it('should not let a password create a token through a target with a fragment', async () => {
    const res = await rawRequest(e2e.host.url, `${context}${API}/user/token#`, basic('bob', e2e.users.bob.password), 'POST', '{"tokenDescription":"by password"}');
    expectError(res, 'BAD_REQUEST_TARGET');
    const bobs = await e2e.req(`${API}/user/tokensByFilter?userFilter=${encodeURIComponent(e2e.users.bob.key)}`, { bearer: adminToken });
    expect(bobs.status).to.equal(200);
    expect(bobs.json.content, 'no token was created').to.deep.equal([]);
  });

  it('should not check or count password guesses sent to a target with a fragment', async () => {
    for (let i = 0; i < 3; i++) expectError(await rawRequest(e2e.host.url, `${context}/rest/api/2/myself#`, basic('carol', 'guess')), 'BAD_REQUEST_TARGET');
    expect(await failedLogins('carol')).to.equal(0);
  });

  it('should refuse an empty password like any other, without counting it or moving the user into CAPTCHA state', async () => {
    await e2e.host.runtime.users.createUser({ name: 'dave', password: 'dave-pw-1', email: 'dave@example.com', displayName: 'DAVE', groups: ['jira-software-users'] });
    for (let i = 0; i < 4; i++) expectError(await rawRequest(e2e.host.url, `${context}/rest/api/2/myself`, basic('dave', '')), 'TOKEN_AUTH_FAILED', `attempt ${i + 1}`);
    expect(await failedLogins('dave')).to.equal(0);
  });

  it('should leave passwords to the host again once the setting is back on, whatever the target', async () => {
    expect((await e2e.inSession('admin', `${API}/admin/settings`, { method: 'PUT', body: { passwordBasicAuthAllowed: true } })).status).to.equal(200);
    try {
      expect((await rawRequest(e2e.host.url, `${context}/rest/api/2/myself#`, basic('alice', e2e.users.alice.password))).status).to.equal(200);
      expect((await rawRequest(e2e.host.url, `${context}/rest/api/2/myself`, basic('erin-unknown', ''))).status).to.equal(401);
    } finally {
      expect((await e2e.req(`${API}/admin/settings`, { method: 'PUT', bearer: adminToken, body: { passwordBasicAuthAllowed: false } })).status).to.equal(200);
    }
  });
});
