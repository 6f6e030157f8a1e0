// The link "Manage your API tokens" of every mail to a token's owner must open the page that shows
// the owner's tokens: it is what an owner follows from a security alert (a token issued on their
// behalf or through a leaked one, a revocation) to delete the token. In Confluence the token panel
// is on the profile's Settings tab; the Profile tab the link used to name shows no tokens.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, type E2eEnv, stopAndCheckLeaks } from '../plugin/support/e2eHost';

interface OutboxMail { to: string; text: string }

for (const product of ['jira', 'confluence'] as const) {
  forEachDatabase(`The profile link of the mails on ${product}`, (kind) => {
    let e2e: E2eEnv;
    before(async function () {
      this.timeout(60_000);
      e2e = await startE2e(product, kind);
    });
    after(() => stopAndCheckLeaks(e2e));

    /** The page a link ends on in `cookie`'s session, following the host's redirects within the site. */
    async function landing(link: string, cookie: string): Promise<{ status: number; text: string }> {
      let path = link.slice(e2e.host.url.length);
      for (let hops = 0; hops < 3; hops++) {
        const res = await e2e.req(path, { headers: { Cookie: cookie, Accept: 'text/html' } });
        const location = res.headers.get('location');
        if (res.status !== 302 || !location) return res;
        const contextPath = new URL(e2e.host.url).pathname;
        expect(location.startsWith(`${contextPath}/`), location).to.equal(true);
        path = location.slice(contextPath.length);
      }
      throw new Error(`${link}: too many redirects`);
    }

    it('should link a mail about a token made on the owner\'s behalf to the page that lists the owner\'s tokens', async () => {
      const alice = e2e.users.alice;
      const made = await e2e.as('manager', `${API}/user/token`, { method: 'POST', body: { tokenForUserKey: alice.key, tokenDescription: 'on behalf' } });
      expect(made.status, made.text).to.equal(200);
      e2e.issued.push(made.json.plainTextToken);
      let mail: OutboxMail | undefined;
      for (const deadline = Date.now() + 10_000; !mail && Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
        mail = ((await e2e.as('admin', '/rest/hostsim/1.0/mail')).json as OutboxMail[]).find((m) => m.to === alice.email && m.text.includes(`(id ${made.json.id})`));
      }
      expect(mail, 'the owner is mailed').to.not.equal(undefined);
      const links = mail!.text.match(/https?:\/\/\S+/g) ?? [];
      expect(links, mail!.text).to.have.length.above(0);
      const cookie = await e2e.host.login(alice.name, alice.password);
      for (const link of links) {
        const page = await landing(link, cookie);
        expect(page.status, link).to.equal(200);
        expect(page.text, `${link} shows the token panel`).to.include('id="apitokenauth-profile"');
      }
    });
  });
}
