import { expect } from 'chai';
import { ServiceUnavailableError } from '../../../host-sim/spi';
import { makeUser, startUiServlet, type UiServletServer } from './support/uiFixtures';

describe('ProfilePanelRenderer', () => {
  const allowed = makeUser({ key: 'JIRAUSER10100', name: 'alice', timeZone: 'America/New_York' });
  const refused = makeUser({ key: 'JIRAUSER10101', name: 'bob' });
  let server: UiServletServer;

  before(async () => {
    server = await startUiServlet([allowed, refused], {
      JIRAUSER10100: { readOnlyOnly: true, maxValidityMonths: 3, defaultValidityMonths: 2, authSchemes: 'bearer' },
      JIRAUSER10101: { canUseTokens: false },
    });
  });
  after(async () => { await server.close(); });

  it('should render the panel with the limits and time zone the page script needs', async () => {
    const html = await (await fetch(`${server.url}/panel?as=alice&locale=de`)).text();
    expect(html).to.contain('id="apitokenauth-profile"');
    expect(html).to.contain('/jira/plugins/servlet/de.resolution.apitokenauth/static/profile.js');
    const json = /id="apitokenauth-config-profile">([\s\S]*?)<\/script>/.exec(html)![1];
    const config = JSON.parse(json) as { locale: string; user: { timeZone: string }; access: { readOnlyOnly: boolean; maxValidityMonths: number; authSchemes: string }; strings: Record<string, string> };
    expect(config.locale).to.equal('de');
    expect(config.user.timeZone).to.equal('America/New_York');
    expect(config.access).to.include({ readOnlyOnly: true, maxValidityMonths: 3, authSchemes: 'bearer' });
    expect(config.strings['profile.create']).to.equal('Token erstellen');
  });

  it('should render an error note instead of failing the profile page when the database is down', async () => {
    const original = server.deps.access.forUser;
    (server.deps.access as { forUser: typeof original }).forUser = async () => { throw new ServiceUnavailableError(); };
    try {
      const res = await fetch(`${server.url}/panel?as=alice`);
      expect(res.status).to.equal(200);
      const html = await res.text();
      expect(html.includes('role="alert"')).to.equal(true);
      expect(html.includes('profile.js')).to.equal(false);
    } finally {
      (server.deps.access as { forUser: typeof original }).forUser = original;
    }
  });

  it('should explain instead of offering tokens to a user outside the token user groups', async () => {
    const html = await (await fetch(`${server.url}/panel?as=bob`)).text();
    expect(html).to.contain('data-role="not-allowed"');
    expect(html).to.not.contain('profile.js');
  });
});
