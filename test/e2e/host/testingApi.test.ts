// The host's public testing API (host-sim/testing) beyond what the example plugin's test uses:
// a bare host, the temporary DATA_DIR, users in new groups, captured logs, a second node on the
// first node's database, and its refusals.
import fs from 'node:fs';
import { expect } from 'chai';
import { startHost, type Host } from '../../../host-sim/testing';
import { TEST_PLUGIN_DESCRIPTOR } from '../../support/hostServer';

describe('Host testing API', () => {
  let host: Host | undefined;
  afterEach(async () => { await host?.stop(); host = undefined; });

  it('should start a bare Confluence without this project\'s plugin and clean up its DATA_DIR on stop', async () => {
    host = await startHost({ product: 'confluence', apiTokenPlugin: false });
    expect(host.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/confluence$/);
    expect(host.dbUrl).to.equal(`sqlite:${host.dataDir}/confluence.db`);
    expect(fs.existsSync(host.dataDir)).to.equal(true);
    expect((await host.request('/rest/plugins/1.0/de.resolution.apitokenauth-key', { auth: ['admin', 'admin'] })).status).to.equal(404);
    const dataDir = host.dataDir;
    await host.stop();
    await host.stop();
    expect(fs.existsSync(dataDir)).to.equal(false);
  });

  it('should create users in groups it creates on demand, and log them in by Basic and cookie', async () => {
    host = await startHost({ plugins: [TEST_PLUGIN_DESCRIPTOR] });
    const carol = await host.createUser({ name: 'carol', groups: ['jira-administrators', 'release-managers'] });
    expect(carol).to.include({ name: 'carol', password: 'carol-pw-1', email: 'carol@example.com', displayName: 'CAROL' });
    const me = await host.request('/rest/api/2/myself?expand=groups', { auth: [carol.name, carol.password] });
    expect(me.json.groups.items.map((g: { name: string }) => g.name)).to.include.members(['jira-software-users', 'jira-administrators', 'release-managers']);
    const cookie = await host.login('carol', 'carol-pw-1');
    expect((await host.request('/rest/api/2/myself', { cookie })).json.name).to.equal('carol');
    await host.setActive('carol', false);
    expect((await host.request('/rest/api/2/myself', { auth: [carol.name, carol.password] })).status).to.equal(401);
    await host.addToGroup('admin', 'release-managers');
    expect(await host.runtime.users.isUserInGroup('admin', 'release-managers')).to.equal(true);
  });

  it('should open a session\'s websudo window through the password page, and refuse a wrong password', async () => {
    host = await startHost({ apiTokenPlugin: false });
    const adminPage = { headers: { Accept: 'text/html' } };
    const cookie = await host.login('admin', 'admin');
    expect((await host.request('/secure/admin/ViewApplicationProperties.jspa', { ...adminPage, cookie })).status).to.equal(302);
    let refused = false;
    await host.enterWebSudo(cookie, 'wrong').catch(() => { refused = true; });
    expect(refused, 'a wrong password throws').to.equal(true);
    await host.enterWebSudo(cookie, 'admin');
    expect((await host.request('/secure/admin/ViewApplicationProperties.jspa', { ...adminPage, cookie })).status).to.equal(200);
  });

  it('should capture log lines instead of printing them', async () => {
    host = await startHost({ plugins: [TEST_PLUGIN_DESCRIPTOR], captureLogs: true });
    expect(host.logs.some((line) => JSON.parse(line).message === 'Host started')).to.equal(true);
  });

  it('should move the clock, set licences and run jobs of a loaded plugin only', async () => {
    host = await startHost({ plugins: [TEST_PLUGIN_DESCRIPTOR] });
    const before = host.clock.now();
    await host.clock.advance(3_600_000);
    expect(host.clock.offset()).to.equal(3_600_000);
    expect(host.clock.now() - before).to.be.within(3_600_000, 3_660_000);
    await host.setLicense('com.example.hostsim.testplugin', 'none');
    expect((await host.request('/rest/testplugin/1.0/license', { auth: ['admin', 'admin'] })).json.state).to.equal('none');
    expect(await host.runJob('com.example.hostsim.testplugin', 'tick-job')).to.equal(true);
    expect((await host.request('/rest/testplugin/1.0/settings/ticks', { auth: ['admin', 'admin'] })).json.value).to.equal('1');
    await expectRejection(host.setLicense('no.such.plugin', 'valid'), /no plugin no.such.plugin/);
    await expectRejection(host.runJob('com.example.hostsim.testplugin', 'no-job'), /no job/);
  });

  it('should start a second node on the first node\'s database and keep that database on stop', async () => {
    host = await startHost({ apiTokenPlugin: false });
    const second = await startHost({ apiTokenPlugin: false, dbUrl: host.dbUrl, nodeId: 'node2' });
    try {
      await host.createUser({ name: 'dave' });
      const seen = await second.request('/rest/api/2/user?username=dave', { auth: ['admin', 'admin'] });
      expect(seen.status).to.equal(200);
    } finally {
      await second.stop();
    }
    expect(fs.existsSync(host.dbUrl.slice('sqlite:'.length))).to.equal(true);
  });
});

async function expectRejection(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await promise;
  } catch (err) {
    expect((err as Error).message).to.match(pattern);
    return;
  }
  expect.fail('expected a rejection');
}
