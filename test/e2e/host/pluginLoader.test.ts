import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { startTestHost, TEST_PLUGIN_DESCRIPTOR, type TestHost } from '../../support/hostServer';

const ADMIN = ['admin', 'admin'] as const;
const PLUGIN = 'com.example.hostsim.testplugin';
const UPM = `/rest/plugins/1.0/${PLUGIN}-key`;

forEachDatabase('PluginLoader', (dbKind) => {
  let host: TestHost;
  before(async () => { host = await startTestHost({ product: 'jira', dbKind, descriptors: [TEST_PLUGIN_DESCRIPTOR] }); });
  after(async () => { await host?.stop(); });

  it('should run before-login filters by weight, not by declaration order', async () => {
    const res = await host.request('/rest/api/2/serverInfo');
    expect(res.status).to.equal(200);
    expect(res.headers.get('x-test-filter-order')).to.equal('early,late');
  });

  it('should name AO tables AO_<md5 suffix of the namespace>_<ENTITY> and store rows through them', async () => {
    const created = await host.request('/rest/testplugin/1.0/notes', { method: 'POST', auth: ADMIN, body: { text: 'first' } });
    expect(created.status).to.equal(201);
    const res = await host.request('/rest/testplugin/1.0/notes', { auth: ADMIN });
    expect(res.json.table).to.equal('AO_7B7ABA_NOTE');
    expect(res.json.notes.map((n: { text: string }) => n.text)).to.include('first');
  });

  it('should serve a REST module under its version and under latest', async () => {
    const v = await host.request('/rest/testplugin/1.0/license', { auth: ADMIN });
    const latest = await host.request('/rest/testplugin/latest/license', { auth: ADMIN });
    expect(v.status).to.equal(200);
    expect(latest.status).to.equal(200);
  });

  it('should keep plugin settings in the host database', async () => {
    const put = await host.request('/rest/testplugin/1.0/settings/colour', { method: 'PUT', auth: ADMIN, body: { value: 'blue' } });
    expect(put.status).to.equal(200);
    expect(await host.runtime.servicesForPlugin({ pluginKey: PLUGIN, aoPrefix: 'AO_7B7ABA' }).pluginSettings.get('colour')).to.equal('blue');
    const get = await host.request('/rest/testplugin/1.0/settings/colour', { auth: ADMIN });
    expect(get.json.value).to.equal('blue');
  });

  it('should give the plugin its i18n bundle in English and German', async () => {
    const en = await host.request('/rest/testplugin/1.0/hello', { auth: ADMIN });
    const de = await host.request('/rest/testplugin/1.0/hello', { auth: ADMIN, headers: { 'Accept-Language': 'de-DE,de;q=0.9' } });
    expect(en.json).to.deep.equal({ locale: 'en', message: 'Hello admin' });
    expect(de.json).to.deep.equal({ locale: 'de', message: 'Hallo admin' });
  });

  it('should schedule the job as <pluginKey>:<moduleKey> and run it through the toolbox', async () => {
    expect(host.runtime.scheduler.jobKeys()).to.include(`${PLUGIN}:tick-job`);
    const before = await host.request('/rest/testplugin/1.0/settings/ticks', { auth: ADMIN });
    const run = await host.request(`/rest/hostsim/1.0/jobs/${PLUGIN}:tick-job/run`, { method: 'POST', auth: ADMIN });
    expect(run.status).to.equal(200);
    expect(run.json.ran).to.equal(true);
    const after = await host.request('/rest/testplugin/1.0/settings/ticks', { auth: ADMIN });
    expect(Number(after.json.value)).to.equal(Number(before.json.value ?? 0) + 1);
  });

  it('should skip the host login when a filter has set the principal', async () => {
    const res = await host.request('/rest/api/2/myself', { headers: { 'X-Test-User': 'admin' } });
    expect(res.status).to.equal(200);
    expect(res.json.name).to.equal('admin');
    expect(res.headers.get('set-cookie')).to.equal(null);
    const who = await host.request('/rest/testplugin/1.0/whoami', { headers: { 'X-Test-User': 'admin' } });
    expect(who.json.method).to.equal('api-token');
    expect(who.json.clientIp).to.equal('127.0.0.1');
  });

  it('should not parse a body again that a filter has already parsed', async () => {
    const byFilter = await host.request('/rest/testplugin/1.0/echo', { method: 'POST', auth: ADMIN, body: { a: 1 }, headers: { 'X-Test-Parse-Body': 'true' } });
    expect(byFilter.status).to.equal(200);
    expect(byFilter.json).to.deep.equal({ body: { a: 1 }, parsedBy: 'filter' });
    const byHost = await host.request('/rest/testplugin/1.0/echo', { method: 'POST', auth: ADMIN, body: { a: 2 } });
    expect(byHost.json).to.deep.equal({ body: { a: 2 }, parsedBy: 'host' });
  });

  it('should show the plugin through UPM to system admins only', async () => {
    const res = await host.request(UPM, { auth: ADMIN });
    expect(res.status).to.equal(200);
    expect(res.json).to.include({ key: PLUGIN, enabled: true, version: '0.0.1' });
    await host.runtime.users.createUser({ name: 'upm-user', password: 'pw', email: 'upm@example.com', displayName: 'U', groups: ['jira-software-users'] });
    expect((await host.request(UPM, { auth: ['upm-user', 'pw'] })).status).to.equal(403);
    expect((await host.request(UPM)).status).to.equal(401);
    expect((await host.request('/rest/plugins/1.0/no.such.plugin-key', { auth: ADMIN })).status).to.equal(404);
  });

  it('should disable and re-enable the plugin at run time through UPM', async () => {
    const off = await host.request(UPM, { method: 'PUT', auth: ADMIN, body: { enabled: false } });
    expect(off.status).to.equal(200);
    expect(off.json.enabled).to.equal(false);
    expect((await host.request('/rest/testplugin/1.0/notes', { auth: ADMIN })).status).to.equal(404);
    expect((await host.request('/rest/api/2/serverInfo')).headers.get('x-test-filter-order')).to.equal(null);
    expect((await host.request('/plugins/servlet/testplugin/page', { auth: ADMIN })).status).to.equal(404);
    expect(host.runtime.scheduler.jobKeys()).not.to.include(`${PLUGIN}:tick-job`);
    expect(host.runtime.pluginStates.isEnabled(PLUGIN)).to.equal(false);

    const on = await host.request(UPM, { method: 'PUT', auth: ADMIN, body: { enabled: true } });
    expect(on.status).to.equal(200);
    expect(on.json.enabled).to.equal(true);
    expect((await host.request('/rest/testplugin/1.0/notes', { auth: ADMIN })).json.notes.length).to.be.greaterThan(0);
    expect((await host.request('/rest/api/2/serverInfo')).headers.get('x-test-filter-order')).to.equal('early,late');
    expect(host.runtime.scheduler.jobKeys()).to.include(`${PLUGIN}:tick-job`);
  });

  it('should call deactivate on disable (the plugin flushes) and activate a fresh instance on enable', async () => {
    const settings = host.runtime.servicesForPlugin({ pluginKey: PLUGIN, aoPrefix: 'AO_7B7ABA' }).pluginSettings;
    const panelBefore = (await host.request('/secure/ViewProfile.jspa', { auth: ADMIN })).text.match(/data-activation="([^"]+)"/)?.[1];
    const deactivations = Number((await settings.get('deactivations')) ?? '0');
    await host.request(UPM, { method: 'PUT', auth: ADMIN, body: { enabled: false } });
    expect(Number(await settings.get('deactivations'))).to.equal(deactivations + 1);
    await host.request(UPM, { method: 'PUT', auth: ADMIN, body: { enabled: true } });
    const panelAfter = (await host.request('/secure/ViewProfile.jspa', { auth: ADMIN })).text.match(/data-activation="([^"]+)"/)?.[1];
    expect(panelBefore).to.be.a('string');
    expect(panelAfter).to.be.a('string').and.not.equal(panelBefore);
  });

  it('should reject an invalid UPM body without changing the state', async () => {
    const res = await host.request(UPM, { method: 'PUT', auth: ADMIN, body: { enabled: 'no' } });
    expect(res.status).to.equal(400);
    expect(host.runtime.pluginStates.isEnabled(PLUGIN)).to.equal(true);
  });

  it('should serve the plugin servlet and list its admin web-item for system admins', async () => {
    const page = await host.request('/plugins/servlet/testplugin/page', { auth: ADMIN });
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('id="test-plugin-page"');
    const admin = await host.request('/secure/admin/ViewApplicationProperties.jspa', { auth: ADMIN });
    expect(admin.status).to.equal(200);
    expect(admin.text).to.contain('href="/jira/plugins/servlet/testplugin/page"');
    expect(admin.text).to.contain('Test plugin notes');
  });
});

forEachDatabase('PluginLoader with a persisted disabled state', (dbKind) => {
  it('should not activate a plugin that UPM disabled before a restart, and honour the state on a second node', async () => {
    const first = await startTestHost({ product: 'jira', dbKind, descriptors: [TEST_PLUGIN_DESCRIPTOR] });
    let second: TestHost | null = null;
    try {
      second = await startTestHost({ product: 'jira', dbUrl: first.dbUrl, descriptors: [TEST_PLUGIN_DESCRIPTOR], nodeId: 'node2' });
      expect((await second.request('/rest/testplugin/1.0/notes', { auth: ADMIN })).status).to.equal(200);
      await first.request(UPM, { method: 'PUT', auth: ADMIN, body: { enabled: false } });
      let status = 200;
      for (let i = 0; i < 50 && status !== 404; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await second.request('/rest/testplugin/1.0/notes', { auth: ADMIN })).status;
      }
      expect(status).to.equal(404);
      await second.stop();
      second = await startTestHost({ product: 'jira', dbUrl: first.dbUrl, descriptors: [TEST_PLUGIN_DESCRIPTOR], nodeId: 'node2' });
      expect((await second.request('/rest/testplugin/1.0/notes', { auth: ADMIN })).status).to.equal(404);
      expect(second.host.loader.isActive(PLUGIN)).to.equal(false);
    } finally {
      await second?.stop();
      await first.stop();
    }
  });
});
