// The reproductions of the security review (issue 11, findings 1, 4 and 6), replayed with the
// real curl binary against a started host on both databases: each was answered wrongly before
// the token-authentication service (200 for a restricted token's escape, 403 lockouts, 429 for
// a good token behind a NAT).
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { curl } from './support/curl';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const WRONG_TOKEN = `apitok_AAAAAAAAAAAA_${'B'.repeat(28)}${'C'.repeat(6)}`;

forEachDatabase('security reproductions on jira', (kind) => {
  let e2e: E2eEnv;
  let origin: string;
  let context: string;

  before(async () => {
    e2e = await startE2e('jira', kind);
    const url = new URL(e2e.host.url);
    origin = url.origin;
    context = url.pathname.replace(/\/$/, '');
  });
  after(() => stopAndCheckLeaks(e2e));

  it('should refuse a fragment in the request target instead of letting it escape a URL restriction (finding 1)', async () => {
    const bot = await e2e.createToken('alice', { tokenDescription: 'comment bot', restrictions: '[GET].*/rest/api/2/issue/TEST-1' });
    const sibling = await e2e.createToken('alice', { tokenDescription: 'sibling' });
    const auth = ['-H', `Authorization: Bearer ${bot.plainTextToken}`];
    const escapes = [
      ['--request-target', `${context}/rest/api/2/myself#/rest/api/2/issue/TEST-1`],
      ['--request-target', `${origin}${context}/rest/api/2/myself#/rest/api/2/issue/TEST-1`],
      ['--request-target', `${context}/rest/api/2/issue#/rest/api/2/issue/TEST-1`, '-X', 'POST', '-H', 'Content-Type: application/json',
        '-d', '{"fields":{"project":{"key":"TEST"},"summary":"x","issuetype":{"name":"Task"}}}'],
      ['--request-target', `${context}${API}/user/token/${sibling.id}/rotate#/rest/api/2/issue/TEST-1`, '-X', 'POST'],
    ];
    for (const args of escapes) {
      const res = await curl([...auth, ...args, `${origin}/`]);
      expect(res.status, args.join(' ')).to.equal(400);
      expect(res.json).to.have.property('errorMessage');
      expect(res.text).to.not.include('apitok_');
    }
    // The rule itself still works, and the sibling's secret was never replaced.
    expect((await curl([...auth, `${origin}${context}/rest/api/2/myself`])).status).to.equal(403);
    expect((await e2e.req('/rest/api/2/myself', { bearer: sibling.plainTextToken })).status).to.equal(200);
  });

  it('should not let anyone lock a user out with wrong tokens (finding 4)', async () => {
    const good = await e2e.createToken('bob', { tokenDescription: 'script' });
    const answers = new Set<string>();
    for (const user of ['bob', 'bob', 'bob', 'bob', 'nosuchuser']) {
      const res = await curl(['-D', '-', '-u', `${user}:${WRONG_TOKEN}`, `${e2e.host.url}/rest/api/2/myself`]);
      expect(res.status).to.equal(401);
      // Same status, challenge and body whether or not the user exists: no user-name oracle.
      answers.add(res.text.split('\r\n').filter((l) => /^(www-authenticate|x-seraph|content-length):/i.test(l) || l.startsWith('{')).sort().join('|'));
    }
    expect(answers.size).to.equal(1);
    expect((await e2e.host.runtime.loginManager.getLoginInfo('bob')).currentFailedLoginCount).to.equal(0);
    expect((await curl(['-u', `bob:${good.plainTextToken}`, `${e2e.host.url}/rest/api/2/myself`])).status).to.equal(200);
    expect((await curl(['-H', `Authorization: Bearer ${good.plainTextToken}`, `${e2e.host.url}/rest/api/2/myself`])).status).to.equal(200);
    expect((await curl(['-u', `bob:${e2e.users.bob.password}`, `${e2e.host.url}/rest/api/2/myself`])).status).to.equal(200);
  });

  it('should answer a token sent outside /rest/ itself, without counting a failed login (finding 4)', async () => {
    const good = await e2e.createToken('carol', { tokenDescription: 'wrong prefix' });
    for (let i = 0; i < 4; i++) {
      const res = await curl(['-u', `carol:${good.plainTextToken}`, `${e2e.host.url}/secure/ViewProfile.jspa`]);
      expect(res.status).to.equal(401);
    }
    expect((await e2e.host.runtime.loginManager.getLoginInfo('carol')).currentFailedLoginCount).to.equal(0);
    expect((await curl(['-u', `carol:${e2e.users.carol.password}`, `${e2e.host.url}/rest/api/2/myself`])).status).to.equal(200);
  });

  it('should throttle a flood of bad tokens from one address but never a good token from it (finding 6)', async () => {
    const good = await e2e.createToken('alice', { tokenDescription: 'behind the NAT' });
    // Earlier tests of this suite already failed a few times from 127.0.0.1: flood until the limit (100 a minute) bites.
    let throttled = await e2e.req('/rest/api/2/myself', { bearer: WRONG_TOKEN });
    for (let i = 0; i < 101 && throttled.status === 401; i++) {
      throttled = await e2e.req('/rest/api/2/myself', { bearer: `apitok_${String(i).padStart(12, 'Z')}_${'B'.repeat(28)}${'C'.repeat(6)}` });
    }
    expect(throttled.status).to.equal(429);
    expect(Number(throttled.headers.get('retry-after'))).to.be.within(1, 60);
    expect((await e2e.req('/rest/api/2/myself', { bearer: good.plainTextToken })).status).to.equal(200);
    expect((await e2e.req('/rest/api/2/myself', { auth: ['alice', good.plainTextToken] })).status).to.equal(200);
  });
});

forEachDatabase('security reproductions on confluence', (kind) => {
  let e2e: E2eEnv;
  before(async () => { e2e = await startE2e('confluence', kind); });
  after(() => stopAndCheckLeaks(e2e));

  it("should not lock out a user whose client sends a valid token to confluence.js's /wiki/rest prefix (finding 4)", async () => {
    const good = await e2e.createToken('bob', { tokenDescription: 'confluence.js' });
    for (let i = 0; i < 4; i++) {
      const res = await curl(['-u', `bob:${good.plainTextToken}`, `${e2e.host.url}/wiki/rest/api/user/current`]);
      expect(res.status).to.equal(401);
      expect(res.json).to.have.property('errorMessage');
    }
    expect((await e2e.host.runtime.loginManager.getLoginInfo('bob')).currentFailedLoginCount).to.equal(0);
    expect((await curl(['-u', `bob:${good.plainTextToken}`, `${e2e.host.url}/rest/api/user/current`])).status).to.equal(200);
  });
});
