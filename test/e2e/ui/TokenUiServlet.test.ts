import { expect } from 'chai';
import { ServiceUnavailableError } from '../../../host-sim/spi';
import { makeUser, startUiServlet, type UiServletServer } from './support/uiFixtures';

const SERVLET = '/plugins/servlet/de.resolution.apitokenauth';

describe('TokenUiServlet', () => {
  const admin = makeUser({ key: 'admin', name: 'admin', displayName: 'Admin </script><script>alert(1)</script>' });
  const helper = makeUser({ key: 'JIRAUSER10100', name: 'helper', locale: 'de_DE' });
  const plain = makeUser({ key: 'JIRAUSER10101', name: 'plain' });
  let server: UiServletServer;

  before(async () => {
    server = await startUiServlet([admin, helper, plain], {
      admin: { isSystemAdmin: true, canCreateOnBehalf: true },
      JIRAUSER10100: { canCreateOnBehalf: true },
    });
  });
  after(async () => { await server.close(); });

  const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${server.url}${path}`, { redirect: 'manual', headers });

  it('should redirect an anonymous visitor to the login page with the page as destination', async () => {
    const res = await get(`${SERVLET}/admin?x=1`);
    expect(res.status).to.equal(302);
    expect(res.headers.get('location')).to.equal(`/jira/login.jsp?os_destination=${encodeURIComponent(`${SERVLET}/admin?x=1`)}`);
  });

  it('should show the 403 page, for the host\'s general layout, to a user without the on-behalf permission', async () => {
    for (const page of ['admin', 'settings']) {
      const res = await get(`${SERVLET}/${page}?as=plain`);
      expect(res.status).to.equal(403);
      const html = await res.text();
      expect(html).to.contain('data-status="403"').and.contain('id="forbidden-message"');
      expect(html).to.contain('<meta name="decorator" content="atl.general">').and.contain('href="/jira/secure/ViewProfile.jspa"');
    }
  });

  it('should warn about an invalid licence on the 403 page too, as on every other page (issue 13)', async () => {
    const deps = server.deps as { licence?: { getLicenseState(): 'valid' | 'expired' | 'none' } };
    deps.licence = { getLicenseState: () => 'expired' };
    try {
      for (const [path, status] of [[`${SERVLET}/settings?as=plain`, 403], [`${SERVLET}/settings?as=admin`, 200]] as const) {
        const res = await get(path);
        expect(res.status, path).to.equal(status);
        expect(await res.text(), path).to.contain('data-role="licence-warning"').and.contain('data-licence-state="expired"');
      }
      deps.licence = { getLicenseState: () => 'valid' };
      expect(await (await get(`${SERVLET}/settings?as=plain`)).text()).to.not.contain('data-role="licence-warning"');
    } finally {
      delete deps.licence;
    }
  });

  it('should open the Token Manager but not the settings page for an on-behalf user', async () => {
    expect((await get(`${SERVLET}/admin?as=helper`)).status).to.equal(200);
    expect((await get(`${SERVLET}/settings?as=helper`)).status).to.equal(403);
  });

  it('should ask the host for the administration layout with the current sidebar link, and load its bundle', async () => {
    for (const [page, tab] of [['admin', 'token-manager-link'], ['settings', 'token-settings-link']]) {
      const html = await (await get(`${SERVLET}/${page}?as=admin`)).text();
      expect(html).to.contain('<meta charset="utf-8">').and.contain('<meta name="decorator" content="atl.admin">')
        .and.contain(`<meta name="admin.active.tab" content="${tab}">`)
        .and.contain(`<script src="/jira/plugins/servlet/de.resolution.apitokenauth/static/${page}.js" defer></script>`);
      expect(html).to.match(/<h1>API Token (Manager|settings)<\/h1>/);
    }
  });

  it('should embed the page configuration so that no markup can end the script block', async () => {
    const res = await get(`${SERVLET}/settings?as=admin`);
    expect(res.status).to.equal(200);
    const html = await res.text();
    const match = /<script type="application\/json" id="apitokenauth-config-settings">([\s\S]*?)<\/script>/.exec(html);
    expect(match).to.not.equal(null);
    expect(match![1]).to.not.contain('<');
    const config = JSON.parse(match![1]) as { user: { displayName: string }; page: string; access: { isSystemAdmin: boolean } };
    expect(config.page).to.equal('settings');
    expect(config.user.displayName).to.equal(admin.displayName);
    expect(config.access.isSystemAdmin).to.equal(true);
    expect(html).to.not.contain('<script>alert(1)');
  });

  it('should render the page in the locale of Accept-Language, else the user locale', async () => {
    const german = await (await get(`${SERVLET}/admin?as=admin`, { 'Accept-Language': 'de-DE,de;q=0.9' })).text();
    expect(german.includes('<html lang="de">')).to.equal(true);
    expect(german.includes('<title>API-Token-Manager</title>')).to.equal(true);
    const byUser = await (await get(`${SERVLET}/admin?as=helper`)).text();
    expect(byUser.includes('<html lang="de">')).to.equal(true);
  });

  it('should serve the bundled page scripts (with revalidation), the stylesheet, and 404 for unknown files', async function () {
    this.timeout(30000);
    const js = await get(`${SERVLET}/static/admin.js`);
    expect(js.status).to.equal(200);
    expect(js.headers.get('content-type')).to.match(/javascript/);
    expect(await js.text()).to.contain('sourceMappingURL=admin.js.map');
    const etag = js.headers.get('etag')!;
    expect((await get(`${SERVLET}/static/admin.js`, { 'If-None-Match': etag })).status).to.equal(304);
    expect((await get(`${SERVLET}/static/admin.js.map`)).headers.get('content-type')).to.match(/json/);
    expect((await get(`${SERVLET}/static/common.js`)).status).to.equal(404);
    const css = await get(`${SERVLET}/static/ui.css`);
    expect(css.headers.get('content-type')).to.match(/text\/css/);
    expect((await get(`${SERVLET}/static/nope.js`)).status).to.equal(404);
    expect((await get(`${SERVLET}/static/../TokenUiServlet.ts`)).status).to.be.oneOf([400, 403, 404]);
  });

  it('should search users by name, e-mail or key for the Token Manager only', async () => {
    const byMail = await (await get(`${SERVLET}/users/search?as=admin&query=plain%40example`)).json() as { users: Array<{ key: string }> };
    expect(byMail.users.map((u) => u.key)).to.deep.equal(['JIRAUSER10101']);
    const byKey = await (await get(`${SERVLET}/users/search?as=helper&query=JIRAUSER10101`)).json() as { users: Array<{ key: string }> };
    expect(byKey.users.map((u) => u.key)).to.include('JIRAUSER10101');
    const lookup = await (await get(`${SERVLET}/users/lookup?as=admin&key=admin&key=nobody`)).json() as { users: Record<string, { name: string }> };
    expect(Object.keys(lookup.users)).to.deep.equal(['admin']);
    expect((await get(`${SERVLET}/users/search?as=plain&query=a`)).status).to.equal(403);
    expect((await get(`${SERVLET}/users/search?query=a`)).status).to.equal(401);
  });

  it('should refuse a bad picker query with 400 naming the parameter, after the permission check', async () => {
    const bad = [
      `${SERVLET}/users/search?as=admin&query=${'a'.repeat(256)}`,
      `${SERVLET}/users/search?as=admin&query=a&query=b`,
      `${SERVLET}/users/lookup?as=admin`,
      `${SERVLET}/users/lookup?as=admin&key=`,
      `${SERVLET}/users/lookup?as=admin&${Array.from({ length: 101 }, (_v, i) => `key=u${i}`).join('&')}`,
    ];
    for (const url of bad) {
      const res = await get(url);
      expect(res.status, url.slice(0, 80)).to.equal(400);
      const body = await res.json() as { errorMessage: string; fields: string[] };
      expect(body.errorMessage).to.be.a('string').and.not.equal('');
      expect(body.fields).to.have.length(1);
    }
    expect((await get(`${SERVLET}/users/search?as=admin&query=%20%20`)).status).to.equal(200);
    expect((await get(`${SERVLET}/users/lookup?as=plain&key=`)).status).to.equal(403);
  });

  it('should answer 503 with a page, not a stack trace, when the database is down', async () => {
    const original = server.deps.access.forUser;
    (server.deps.access as { forUser: typeof original }).forUser = async () => { throw new ServiceUnavailableError(); };
    try {
      const page = await get(`${SERVLET}/admin?as=admin`);
      expect(page.status).to.equal(503);
      expect(await page.text()).to.contain('data-status="503"');
      const json = await get(`${SERVLET}/users/search?as=admin&query=a`);
      expect(json.status).to.equal(503);
      expect(Object.keys(await json.json() as object)).to.deep.equal(['errorMessage']);
    } finally {
      (server.deps.access as { forUser: typeof original }).forUser = original;
    }
  });
});
