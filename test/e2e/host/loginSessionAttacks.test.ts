// Review 22: the browser login and session surface of the host, attacked by someone on the
// network or a hostile web page without a credential, or with an ordinary user's session.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, type TestHost, type TestResponse } from '../../support/hostServer';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' } as const;
/** What a browser sends with a request that a page of another site (or a sibling subdomain) started. */
const FOREIGN: ReadonlyArray<Readonly<Record<string, string>>> = [
  { 'Sec-Fetch-Site': 'cross-site' },
  { 'Sec-Fetch-Site': 'same-site' },
  { Origin: 'https://evil.example' },
  { Origin: 'null' },
];

/** Its own pages (same-origin), a typed address or bookmark (none), and scripts or curl (neither header). */
const OWN: ReadonlyArray<Readonly<Record<string, string>>> = [{ 'Sec-Fetch-Site': 'same-origin' }, { 'Sec-Fetch-Site': 'none' }, {}];

function cookieOf(res: TestResponse): string {
  return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

function idOf(cookie: string): string {
  return cookie.slice('JSESSIONID='.length);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

forEachDatabase('Login and session attacks (review 22)', (dbKind) => {
  let host: TestHost;
  before(async () => {
    // 127.0.0.1 a trusted proxy: X-Forwarded-For names other clients.
    host = await startTestHost({ product: 'jira', dbKind, descriptors: [], env: { HOSTSIM_SYSPROPS: 'hostsim.trusted.proxies=127.0.0.1' } });
    for (const name of ['victim', 'mallory', 'carol', 'timed', 'oracle']) {
      await host.runtime.users.createUser({ name, password: `${name}-pw`, email: `${name}@example.com`, displayName: name, groups: ['jira-software-users'] });
    }
  });
  after(async () => { await host?.stop(); });

  const formLogin = (name: string, password: string, extra: { cookie?: string; headers?: Record<string, string> } = {}): Promise<TestResponse> =>
    host.request('/login.jsp', {
      method: 'POST', body: `os_username=${encodeURIComponent(name)}&os_password=${encodeURIComponent(password)}`,
      cookie: extra.cookie, headers: { ...FORM, ...(extra.headers ?? {}) },
    });
  const restLogin = (name: string, password: string, cookie?: string): Promise<TestResponse> =>
    host.request('/rest/auth/1/session', { method: 'POST', body: { username: name, password }, cookie });
  const whoIs = async (cookie: string): Promise<string | number> => {
    const res = await host.request('/rest/api/2/myself', { cookie });
    return res.status === 200 ? res.json.name as string : res.status;
  };

  describe('session fixation', () => {
    it('should issue a fresh session id at every login, whatever cookie the request carries, and refuse an id it never issued', async () => {
      const madeUp = `JSESSIONID=${'ab'.repeat(32)}`;
      expect(await whoIs(madeUp)).to.equal(401);
      const mallorys = cookieOf(await formLogin('mallory', 'mallory-pw'));
      for (const planted of [madeUp, mallorys, 'JSESSIONID=attacker-chosen']) {
        const web = await formLogin('victim', 'victim-pw', { cookie: planted });
        expect(web.status, planted).to.equal(302);
        const webCookie = cookieOf(web);
        expect(idOf(webCookie)).to.match(/^[0-9a-f]{64}$/).and.not.equal(idOf(planted));
        expect(await whoIs(webCookie)).to.equal('victim');
        const rest = await restLogin('victim', 'victim-pw', planted);
        expect(rest.status, planted).to.equal(200);
        expect(rest.json.session.value).to.match(/^[0-9a-f]{64}$/).and.not.equal(idOf(planted));
        expect(idOf(cookieOf(rest))).to.equal(rest.json.session.value);
      }
      // The planted cookie never became the victim's session.
      expect(await whoIs(madeUp)).to.equal(401);
      expect(await whoIs('JSESSIONID=attacker-chosen')).to.equal(401);
    });

    it('should end the session a login form replaces, so a planted session signs nobody in afterwards', async () => {
      const mallorys = cookieOf(await formLogin('mallory', 'mallory-pw'));
      expect(await whoIs(mallorys)).to.equal('mallory');
      await formLogin('victim', 'victim-pw', { cookie: mallorys });
      expect(await whoIs(mallorys)).to.equal(401);
    });

    it('should end the session a REST login replaces too, as the login form does', async () => {
      const earlier = cookieOf(await restLogin('victim', 'victim-pw'));
      const mallorys = cookieOf(await restLogin('mallory', 'mallory-pw'));
      const again = await restLogin('victim', 'victim-pw', earlier);
      expect(again.status).to.equal(200);
      expect(await whoIs(earlier)).to.equal(401);
      expect(await whoIs(cookieOf(again))).to.equal('victim');
      expect((await restLogin('victim', 'victim-pw', mallorys)).status).to.equal(200);
      expect(await whoIs(mallorys)).to.equal(401);
      // A failed login ends nothing.
      const kept = cookieOf(again);
      expect((await restLogin('victim', 'wrong', kept)).status).to.equal(401);
      expect(await whoIs(kept)).to.equal('victim');
      await host.runtime.loginManager.resetFailedLoginCount('victim');
    });
  });

  describe('the session cookie', () => {
    it('should be HttpOnly, SameSite=Lax and scoped to the context path, from the form and from REST', async () => {
      for (const res of [await formLogin('victim', 'victim-pw'), await restLogin('victim', 'victim-pw')]) {
        const attributes = (res.headers.get('set-cookie') ?? '').split(';').slice(1).map((a) => a.trim().toLowerCase());
        expect(attributes).to.include.members(['httponly', 'samesite=lax', 'path=/jira']);
        expect(attributes.some((a) => a.startsWith('domain='))).to.equal(false);
      }
    });

    it('should take the one session of ours among other session cookies (a stale one, another app\'s on localhost), in any order, the same way on every surface', async () => {
      const good = cookieOf(await formLogin('victim', 'victim-pw'));
      const id = idOf(good);
      const stale = 'JSESSIONID=' + 'cd'.repeat(32);
      const tomcats = 'JSESSIONID=0A1B2C3D4E5F60718293A4B5C6D7E8F9';
      expect(await whoIs(`${good}; ${stale}`)).to.equal('victim');
      expect(await whoIs(`${stale}; ${good}`)).to.equal('victim');
      expect(await whoIs(`${tomcats}; ${stale}; ${good}`)).to.equal('victim');
      expect(await whoIs(`jsessionid=${id}`)).to.equal(401);
      expect(await whoIs(`JSESSIONID=${id}x`)).to.equal(401);
      expect(await whoIs(`JSESSIONID=${id.toUpperCase()}`)).to.equal(401);
      // The websudo page takes the same one.
      const page = await host.request('/secure/admin/WebSudoAuthenticate.jspa', { cookie: `${stale}; ${good}` });
      expect(page.status).to.equal(200);
      // So does /logout: it ends that session.
      expect((await host.request('/logout', { cookie: `${stale}; ${good}` })).status).to.equal(302);
      expect(await whoIs(good)).to.equal(401);
    });
  });

  describe('cookie tossing', () => {
    // Whoever can set a cookie for this host (a sibling subdomain, a plain-http answer on the
    // path) plants their own session for a deeper path; the browser sends it before the victim's.
    it('should sign in neither user when a request carries two live sessions, on REST, pages and websudo', async () => {
      const victims = cookieOf(await formLogin('victim', 'victim-pw'));
      const mallorys = cookieOf(await formLogin('mallory', 'mallory-pw'));
      for (const cookie of [`${mallorys}; ${victims}`, `${victims}; ${mallorys}`]) {
        expect(await whoIs(cookie), cookie).to.equal(401);
        const page = await host.request('/secure/admin/WebSudoAuthenticate.jspa', { cookie });
        expect(page.status, cookie).to.equal(302);
        expect(page.headers.get('location')).to.match(/\/login\.jsp/);
        expect((await host.request('/rest/auth/1/session', { cookie })).status, cookie).to.equal(401);
      }
      // Each session alone still works: nothing was ended by the refusal.
      expect(await whoIs(victims)).to.equal('victim');
      expect(await whoIs(mallorys)).to.equal('mallory');
    });

    it('should sign in neither user when planted cookies push the victim\'s session past the ones looked at', async () => {
      const victims = cookieOf(await formLogin('victim', 'victim-pw'));
      const mallorys = cookieOf(await formLogin('mallory', 'mallory-pw'));
      // Well-formed ids of no session, each for a path of its own, sent before the victim's.
      const fillers = [1, 2, 3, 4, 5].map((i) => `JSESSIONID=${String(i).repeat(64)}`);
      for (const cookie of [[...fillers.slice(0, 3), mallorys, victims], [mallorys, ...fillers, victims], [...fillers, victims]]) {
        const header = cookie.join('; ');
        expect(await whoIs(header), header).to.equal(401);
        const page = await host.request('/secure/admin/WebSudoAuthenticate.jspa', { cookie: header });
        expect(page.status, header).to.equal(302);
      }
      // A logout carrying them all ends the victim's session too.
      expect((await host.request('/logout', { cookie: [...fillers, mallorys, victims].join('; ') })).status).to.equal(302);
      expect(await whoIs(victims)).to.equal(401);
      expect(await whoIs(mallorys)).to.equal(401);
      // A logout with a header full of ids (anyone may send one) costs a few statements: ids that
      // cannot be sessions none, the ~200 well-formed ones a header holds a few between them.
      const before = host.runtime.db.statementCounts();
      const many = Array.from({ length: 800 }, (_, i) => `JSESSIONID=${i.toString(36)}`).join('; ');
      expect((await host.request('/logout', { cookie: many })).status).to.equal(302);
      const wellFormed = Array.from({ length: 200 }, (_, i) => `JSESSIONID=${i.toString(16).padStart(64, 'd')}`).join('; ');
      expect((await host.request('/logout', { cookie: wellFormed })).status).to.equal(302);
      const after = host.runtime.db.statementCounts();
      expect(after.writes - before.writes, 'deletions').to.be.within(1, 4);
    });

    // Attack review 25: a logout ended the first 16 ids its request carried. Whoever held a copy of
    // the victim's cookie and could plant cookies for the host name sent 16 ids of no session
    // ahead of it (deeper paths come first): the victim's logout, or a login that replaces the
    // session, then left the copied session signed in.
    it('should end the carried session at logout and at login however many planted ids come before it', async () => {
      const fillers = Array.from({ length: 40 }, (_, i) => `JSESSIONID=${i.toString(16).padStart(64, 'e')}`);
      const copied = cookieOf(await formLogin('victim', 'victim-pw'));
      expect((await host.request('/logout', { cookie: [...fillers, copied].join('; ') })).status).to.equal(302);
      expect(await whoIs(copied), 'after the logout').to.equal(401);
      const again = cookieOf(await formLogin('victim', 'victim-pw'));
      expect((await formLogin('victim', 'victim-pw', { cookie: [...fillers, again].join('; ') })).status).to.equal(302);
      expect(await whoIs(again), 'after a login that replaced it').to.equal(401);
    });

    it('should end every session a request carries at logout and at login, so the planted one is gone afterwards', async () => {
      const victims = cookieOf(await formLogin('victim', 'victim-pw'));
      const mallorys = cookieOf(await formLogin('mallory', 'mallory-pw'));
      expect((await host.request('/logout', { cookie: `${mallorys}; ${victims}` })).status).to.equal(302);
      expect(await whoIs(victims)).to.equal(401);
      expect(await whoIs(mallorys)).to.equal(401);
      const planted = cookieOf(await formLogin('mallory', 'mallory-pw'));
      const earlier = cookieOf(await formLogin('victim', 'victim-pw'));
      const fresh = cookieOf(await formLogin('victim', 'victim-pw', { cookie: `${planted}; ${earlier}` }));
      expect(await whoIs(planted)).to.equal(401);
      expect(await whoIs(`${planted}; ${fresh}`)).to.equal('victim');
    });
  });

  describe('logout', () => {
    it('should end the session in the database (every node), not only clear the cookie', async () => {
      const cookie = cookieOf(await formLogin('victim', 'victim-pw'));
      expect(await host.runtime.sessions.get(idOf(cookie))).not.to.equal(null);
      const out = await host.request('/logout', { cookie });
      expect(out.status).to.equal(302);
      expect(await host.runtime.sessions.get(idOf(cookie))).to.equal(null);
      expect(await whoIs(cookie)).to.equal(401);
    });

    it('should not end a session on a logout that a page of another site started', async () => {
      const cookie = cookieOf(await formLogin('victim', 'victim-pw'));
      for (const headers of FOREIGN.slice(0, 2)) {
        const out = await host.request('/logout', { cookie, headers });
        expect(out.status, JSON.stringify(headers)).to.equal(200);
        expect(out.headers.get('set-cookie'), JSON.stringify(headers)).to.equal(null);
        expect(await whoIs(cookie), JSON.stringify(headers)).to.equal('victim');
      }
      // Its own link (same-origin), a typed address (none) and a script (no header) log out.
      for (const headers of OWN.slice(0, 3)) {
        const own = cookieOf(await formLogin('victim', 'victim-pw'));
        expect((await host.request('/logout', { cookie: own, headers })).status).to.equal(302);
        expect(await whoIs(own), JSON.stringify(headers)).to.equal(401);
      }
    });
  });

  describe('login CSRF', () => {
    it('should not sign a browser in when a page of another site posts the login form', async () => {
      for (const headers of FOREIGN) {
        const res = await formLogin('mallory', 'mallory-pw', { headers });
        expect(res.status, JSON.stringify(headers)).to.equal(403);
        expect(res.headers.get('set-cookie'), JSON.stringify(headers)).to.equal(null);
      }
      // Nor through the REST login, whose JSON a form cannot send (and a form's body is refused).
      const text = await host.request('/rest/auth/1/session', {
        method: 'POST', body: '{"username":"mallory","password":"mallory-pw"}', headers: { 'Content-Type': 'text/plain' },
      });
      expect(text.status).to.equal(403);
      expect(text.headers.get('set-cookie')).to.equal(null);
      const crossSite = await host.request('/rest/auth/1/session', {
        method: 'POST', body: { username: 'mallory', password: 'mallory-pw' }, headers: { 'Sec-Fetch-Site': 'cross-site' },
      });
      expect(crossSite.status).to.equal(403);
      expect(crossSite.headers.get('set-cookie')).to.equal(null);
    });

    it('should count no password sent from another site, and let the same site, typed addresses and scripts in', async () => {
      await host.runtime.loginManager.resetFailedLoginCount('carol');
      for (const headers of FOREIGN) await formLogin('carol', 'wrong', { headers });
      expect((await host.runtime.loginManager.getLoginInfo('carol')).currentFailedLoginCount).to.equal(0);
      for (const headers of [...OWN, { Origin: new URL(host.url).origin }]) {
        const res = await formLogin('victim', 'victim-pw', { headers });
        expect(res.status, JSON.stringify(headers)).to.equal(302);
        expect(await whoIs(cookieOf(res))).to.equal('victim');
      }
    });
  });

  describe('the websudo form\'s XSRF token', () => {
    it('should refuse another session\'s token, also the attacker\'s own from a page of the same user', async () => {
      await host.runtime.users.createUser({ name: 'boss', password: 'boss-pw', email: 'boss@example.com', displayName: 'Boss', groups: ['jira-administrators'] });
      const bossCookie = cookieOf(await formLogin('boss', 'boss-pw'));
      const otherBossCookie = cookieOf(await formLogin('boss', 'boss-pw'));
      const page = await host.request('/secure/admin/WebSudoAuthenticate.jspa', { cookie: otherBossCookie });
      const token = /name="atl_token" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      expect(token).to.match(/^[0-9a-f]{40}$/);
      const post = (cookie: string, atlToken: string): Promise<TestResponse> => host.request('/secure/admin/WebSudoAuthenticate.jspa', {
        method: 'POST', cookie, headers: FORM, body: `webSudoPassword=boss-pw&atl_token=${atlToken}`,
      });
      expect((await post(bossCookie, token)).status).to.equal(403);
      expect((await post(bossCookie, '')).status).to.equal(403);
      expect((await post(otherBossCookie, token)).status).to.equal(302);
      // A GET never changes anything: the window opens through the POST only.
      const viaGet = await host.request(`/secure/admin/WebSudoAuthenticate.jspa?webSudoPassword=boss-pw&atl_token=${token}`, { cookie: bossCookie });
      expect(viaGet.status).to.equal(200);
      expect((await host.request('/secure/admin/ViewApplicationProperties.jspa', { cookie: bossCookie })).status).to.equal(302);
    });
  });

  describe('the failed-login counter', () => {
    it('should count every spelling of a user name that signs in as that user on one counter', async () => {
      await host.runtime.loginManager.resetFailedLoginCount('carol');
      for (const spelling of ['carol', 'CAROL', 'Carol']) {
        expect((await restLogin(spelling, 'wrong')).status, spelling).to.equal(401);
      }
      expect((await restLogin('cArOl', 'carol-pw')).status).to.equal(403);
      expect((await host.request('/rest/api/2/myself', { auth: ['carol', 'carol-pw'] })).status).to.equal(403);
      // A web login with the right password leaves the CAPTCHA state (SPEC).
      expect((await formLogin('Carol', 'carol-pw')).status).to.equal(302);
      expect((await restLogin('carol', 'carol-pw')).status).to.equal(200);
    });
  });

  describe('the login page and the websudo form as password oracles', () => {
    const LIMIT = 10;
    const from = (ip: string): Record<string, string> => ({ 'X-Forwarded-For': ip });
    afterEach(async () => { await host.runtime.clock.setOffsetMillis(0); });

    it('should check at most ten wrong passwords a minute from one client, also in the CAPTCHA state, without locking out anyone elsewhere', async () => {
      for (let i = 0; i < 3; i++) await host.request('/rest/api/2/myself', { auth: ['oracle', 'wrong'] });
      expect((await host.runtime.loginManager.getLoginInfo('oracle')).elevatedSecurityCheckRequired).to.equal(true);
      const attacker = from('198.51.100.7');
      for (let i = 0; i < LIMIT; i++) {
        const guess = await formLogin('oracle', `guess-${i}`, { headers: attacker });
        expect(guess.status, `guess ${i}`).to.equal(200);
      }
      const before = (await host.runtime.loginManager.getLoginInfo('oracle')).totalFailedLoginCount;
      // Past the limit not even the right password is checked: its answer would tell it.
      for (const password of ['guess-x', 'oracle-pw']) {
        const res = await formLogin('oracle', password, { headers: attacker });
        expect(res.status, password).to.equal(429);
        expect(Number(res.headers.get('retry-after'))).to.be.within(1, 60);
        expect(res.headers.get('set-cookie'), password).to.equal(null);
      }
      // Other users' names from the same client neither (password spraying).
      expect((await formLogin('victim', 'victim-pw', { headers: attacker })).status).to.equal(429);
      expect((await host.runtime.loginManager.getLoginInfo('oracle')).totalFailedLoginCount).to.equal(before);
      // The user, from anywhere else, still signs in (and so leaves the CAPTCHA state).
      const user = await formLogin('oracle', 'oracle-pw', { headers: from('203.0.113.9') });
      expect(user.status).to.equal(302);
      expect(await whoIs(cookieOf(user))).to.equal('oracle');
      // A minute later the client's passwords are checked again.
      await host.runtime.clock.setOffsetMillis(61_000);
      expect((await formLogin('oracle', 'oracle-pw', { headers: attacker })).status).to.equal(302);
    });

    it('should check no more than ten of many guesses one client sends at once', async () => {
      await host.runtime.users.createUser({ name: 'burst', password: 'burst-pw', email: 'burst@example.com', displayName: 'Burst', groups: ['jira-software-users'] });
      const client = from('198.51.100.99');
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => formLogin('burst', i === 29 ? 'burst-pw' : `guess-${i}`, { headers: client })));
      expect(answers.filter((a) => a.status === 429)).to.have.length.of.at.least(20);
      expect((await host.runtime.loginManager.getLoginInfo('burst')).totalFailedLoginCount).to.be.at.most(LIMIT);
    });

    it('should tell apart the clients of a proxy that writes ports into X-Forwarded-For', async () => {
      // Read as no address, they were all one client: one guesser locked every one of them out.
      for (let i = 0; i < LIMIT; i++) {
        expect((await formLogin('oracle', `port-guess-${i}`, { headers: from(`198.51.100.50:${40_000 + i}`) })).status).to.equal(200);
      }
      expect((await formLogin('victim', 'victim-pw', { headers: from('198.51.100.50:41000') })).status, 'the guesser, another port').to.equal(429);
      expect((await formLogin('victim', 'victim-pw', { headers: from('203.0.113.50:40000') })).status, 'another client').to.equal(302);
      expect((await formLogin('victim', 'victim-pw', { headers: from('[2001:db8:9::1]:443') })).status, 'an IPv6 client').to.equal(302);
      await host.runtime.loginManager.resetFailedLoginCount('oracle');
    });

    it('should count an IPv6 client per /64, and unknown user names too', async () => {
      for (let i = 0; i < LIMIT; i++) {
        expect((await formLogin(`nobody-${i}`, 'x', { headers: from(`2001:db8:1:2::${i + 1}`) })).status).to.equal(200);
      }
      expect((await formLogin('victim', 'victim-pw', { headers: from('2001:db8:1:2:ffff::1') })).status).to.equal(429);
      expect((await formLogin('victim', 'victim-pw', { headers: from('2001:db8:1:3::1') })).status).to.equal(302);
    });

    it('should count an IPv6 client\'s /56 and /48 too: a fresh /64 for every guess buys no more than three clients', async () => {
      // A /48 (free from tunnel brokers) is 65,536 /64s: at ten guesses each, 655,360 a minute.
      for (let i = 0; i < 3 * LIMIT; i++) {
        expect((await formLogin('oracle', `net-guess-${i}`, { headers: from(`2001:db8:7a:${(i * 256).toString(16)}::1`) })).status, `guess ${i}`).to.equal(200);
      }
      expect((await formLogin('victim', 'victim-pw', { headers: from('2001:db8:7a:ff01::1') })).status, 'a fresh /56 of the same /48').to.equal(429);
      expect((await formLogin('victim', 'victim-pw', { headers: from('2001:db8:7b::1') })).status, 'another /48').to.equal(302);
      await host.runtime.loginManager.resetFailedLoginCount('oracle');
    });

    it('should hold the websudo form to the same limit: a session is no unthrottled oracle of its user\'s password', async () => {
      await host.runtime.users.createUser({ name: 'chief', password: 'chief-pw', email: 'chief@example.com', displayName: 'Chief', groups: ['jira-administrators'] });
      const thief = from('198.51.100.77');
      const cookie = cookieOf(await formLogin('chief', 'chief-pw', { headers: thief }));
      const page = await host.request('/secure/admin/WebSudoAuthenticate.jspa', { cookie, headers: thief });
      const token = /name="atl_token" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      const post = (password: string): Promise<TestResponse> => host.request('/secure/admin/WebSudoAuthenticate.jspa', {
        method: 'POST', cookie, headers: { ...FORM, ...thief }, body: `webSudoPassword=${password}&atl_token=${token}`,
      });
      for (let i = 0; i < LIMIT; i++) expect((await post(`guess-${i}`)).status, `guess ${i}`).to.equal(401);
      const right = await post('chief-pw');
      expect(right.status).to.equal(429);
      expect((await host.request('/secure/admin/ViewApplicationProperties.jspa', { cookie, headers: thief })).status).to.equal(302);
      await host.runtime.loginManager.resetFailedLoginCount('chief');
    });

    it('should hold a stolen session to the limit on the websudo form from any number of addresses', async () => {
      await host.runtime.users.createUser({ name: 'warden', password: 'warden-pw', email: 'warden@example.com', displayName: 'Warden', groups: ['jira-administrators'] });
      const cookie = cookieOf(await formLogin('warden', 'warden-pw', { headers: from('203.0.113.50') }));
      const page = await host.request('/secure/admin/WebSudoAuthenticate.jspa', { cookie });
      const token = /name="atl_token" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      // The thief moves to a new address (a new /64 of the same line) for every guess.
      const post = (password: string, i: number): Promise<TestResponse> => host.request('/secure/admin/WebSudoAuthenticate.jspa', {
        method: 'POST', cookie, headers: { ...FORM, ...from(`2001:db8:77:${(i + 1).toString(16)}::1`) }, body: `webSudoPassword=${password}&atl_token=${token}`,
      });
      for (let i = 0; i < LIMIT; i++) expect((await post(`guess-${i}`, i)).status, `guess ${i}`).to.equal(401);
      expect((await post('warden-pw', LIMIT)).status).to.equal(429);
      // The user's other sessions are not held back.
      const other = cookieOf(await formLogin('warden', 'warden-pw', { headers: from('203.0.113.51') }));
      const otherPage = await host.request('/secure/admin/WebSudoAuthenticate.jspa', { cookie: other });
      const otherToken = /name="atl_token" value="([^"]+)"/.exec(otherPage.text)?.[1] ?? '';
      const granted = await host.request('/secure/admin/WebSudoAuthenticate.jspa', {
        method: 'POST', cookie: other, headers: { ...FORM, ...from('203.0.113.51') }, body: `webSudoPassword=warden-pw&atl_token=${otherToken}`,
      });
      expect(granted.status).to.equal(302);
      await host.runtime.loginManager.resetFailedLoginCount('warden');
    });
  });

  describe('user names told apart', () => {
    it('should answer a wrong password for an unknown user name and for an existing one alike, in status, headers and time', async function () {
      this.timeout(60_000);
      const unknown: number[] = [];
      const known: number[] = [];
      // Each from a client of its own: the login page checks ten wrong passwords a minute per client.
      let client = 0;
      const time = async (name: string): Promise<{ ms: number; res: TestResponse }> => {
        const start = process.hrtime.bigint();
        const res = await formLogin(name, 'not-the-password', { headers: { 'X-Forwarded-For': `192.0.2.${++client}` } });
        return { ms: Number(process.hrtime.bigint() - start) / 1e6, res };
      };
      // Warm both paths first.
      await time('timed');
      await time('nobody-here');
      for (let i = 0; i < 21; i++) {
        const a = await time('nobody-here');
        const b = await time('timed');
        unknown.push(a.ms);
        known.push(b.ms);
        expect(a.res.status).to.equal(b.res.status);
        expect(a.res.headers.get('x-seraph-loginreason')).to.equal(b.res.headers.get('x-seraph-loginreason'));
        expect(a.res.headers.get('set-cookie')).to.equal(b.res.headers.get('set-cookie'));
      }
      // (Below the limit: from the limit on, a known name's CAPTCHA 403 is the SPEC's answer.)
      await host.runtime.loginManager.resetFailedLoginCount('timed');
      const rest = [await restLogin('nobody-here', 'x'), await restLogin('timed', 'x')];
      expect(rest[0].status).to.equal(rest[1].status);
      expect(rest[0].json).to.deep.equal(rest[1].json);
      await host.runtime.loginManager.resetFailedLoginCount('timed');
      // An existing user's wrong password costs one PBKDF2 (10,000 rounds); an unknown name must too.
      expect(median(unknown), `unknown ${median(unknown).toFixed(2)} ms, known ${median(known).toFixed(2)} ms`)
        .to.be.at.least(median(known) * 0.5);
    });
  });
});
