// Integration test of the example plugin, loaded BESIDE the API Token Authentication plugin in
// a simulated Jira, through the host's public testing API only (docs/plugin-development.md).
// Runs on SQLite and, when TEST_MYSQL_URL names a MariaDB/MySQL server or TEST_PG_URL a
// PostgreSQL server (npm test starts them), on a fresh database there too.
import path from 'node:path';
import { expect } from 'chai';
import { createMysqlDatabase, createPostgresDatabase, startHost, type Host, type TemporaryDatabase, type TestUser } from '../../../host-sim/testing';

const DESCRIPTOR = path.join(__dirname, '..', 'atlassian-plugin.json');
const PLUGIN_KEY = 'com.example.hello';
const API = '/rest/hello/1.0';
const DAY = 24 * 3600 * 1000;

const databases: Array<[string, () => Promise<TemporaryDatabase | null>]> = [['sqlite', async () => null]];
if (process.env.TEST_MYSQL_URL) databases.push(['mariadb', () => createMysqlDatabase(process.env.TEST_MYSQL_URL as string)]);
if (process.env.TEST_PG_URL) databases.push(['postgres', () => createPostgresDatabase(process.env.TEST_PG_URL as string)]);

for (const [kind, createDatabase] of databases) {
  describe(`Hello example plugin beside API Token Authentication (${kind})`, () => {
    let database: TemporaryDatabase | null = null;
    let host: Host;
    let alice: TestUser;
    let bob: TestUser;

    before(async () => {
      database = await createDatabase();
      host = await startHost({ plugins: [DESCRIPTOR], dbUrl: database?.url, captureLogs: true });
      alice = await host.createUser({ name: 'alice' });
      bob = await host.createUser({ name: 'bob', locale: 'de_DE', displayName: 'Bob Baumann' });
    });

    after(async () => {
      await host?.stop();
      await database?.drop();
    });

    const as = (user: TestUser) => [user.name, user.password] as const;

    it('should load both plugins and list them in UPM', async () => {
      for (const key of [PLUGIN_KEY, 'de.resolution.apitokenauth']) {
        const res = await host.request(`/rest/plugins/1.0/${key}-key`, { auth: ['admin', 'admin'] });
        expect(res.status, key).to.equal(200);
        expect(res.json.enabled, key).to.equal(true);
      }
    });

    it('should greet in the language of the request or of the user', async () => {
      const en = await host.request(`${API}/greeting`, { auth: as(alice) });
      expect(en.status).to.equal(200);
      expect(en.json).to.deep.equal({ locale: 'en', message: 'Hello, ALICE!' });
      const de = await host.request(`${API}/greeting`, { auth: as(alice), headers: { 'Accept-Language': 'de' } });
      expect(de.json.message).to.equal('Hallo, ALICE!');
      expect((await host.request(`${API}/greeting`, { auth: as(bob) })).json.locale).to.equal('de');
      const cookie = await host.login(bob.name, bob.password);
      expect((await host.request(`${API}/greeting`, { cookie })).json.message).to.equal('Hallo, Bob Baumann!');
    });

    it('should answer 401 without a login', async () => {
      expect((await host.request(`${API}/greeting`)).status).to.equal(401);
    });

    it('should store a greeting, mail the recipient in their language and audit it', async () => {
      const res = await host.request(`${API}/greetings`, { method: 'POST', auth: as(alice), body: { to: 'bob', text: 'Hi Bob' } });
      expect(res.status, res.text).to.equal(201);
      expect(res.json).to.include({ to: 'bob', text: 'Hi Bob' });

      const inbox = await host.request(`${API}/greetings`, { auth: as(bob) });
      expect(inbox.json.greetings.map((g: { from: string; text: string }) => [g.from, g.text])).to.deep.equal([['alice', 'Hi Bob']]);

      const mail = (await host.mail()).filter((m) => m.to === 'bob@example.com');
      expect(mail.map((m) => m.subject)).to.deep.equal(['ALICE hat Ihnen einen Gruß geschickt']);

      const events = await host.auditEvents({ action: 'hello.greeting.sent', min: 1 });
      expect(events).to.have.length(1);
      expect(events[0].author?.name).to.equal('alice');
      expect(events[0].affectedObjects?.[0]?.name).to.equal('bob');
    });

    it('should accept an API token of the other plugin, by Bearer and by Basic', async () => {
      const created = await host.request('/rest/de.resolution.apitokenauth/latest/user/token', {
        method: 'POST', auth: as(alice), body: { tokenDescription: 'hello client', tokenValidityTimeInMonths: 1, tokenScope: 2 },
      });
      expect(created.status, created.text).to.equal(200);
      const token = created.json.plainTextToken as string;
      const bearer = await host.request(`${API}/greetings`, { method: 'POST', bearer: token, body: { to: 'bob', text: 'By token' } });
      expect(bearer.status, bearer.text).to.equal(201);
      expect((await host.request(`${API}/greeting`, { auth: ['alice', token] })).status).to.equal(200);
      const [event] = await host.auditEvents({ action: 'hello.greeting.sent', min: 2 });
      expect(event.method).to.equal('API token');
      expect(host.logs.join('\n')).not.to.contain(token.slice(20));
    });

    it('should refuse bad bodies with 400 and localised field errors', async () => {
      const post = (body: unknown, headers?: Record<string, string>) =>
        host.request(`${API}/greetings`, { method: 'POST', auth: as(alice), body, headers });
      const empty = await post({ to: '', text: 'x'.repeat(201) });
      expect(empty.status).to.equal(400);
      expect(Object.keys(empty.json.errors).sort()).to.deep.equal(['text', 'to']);
      const unknown = await post({ to: 'bob', text: 'hi', colour: 'red' }, { 'Accept-Language': 'de' });
      expect(unknown.status).to.equal(400);
      expect(unknown.json.errors).to.deep.equal({ colour: "Das Feld 'colour' ist unbekannt." });
      expect((await post({ to: 'nobody', text: 'hi' })).json.errors).to.have.keys(['to']);
      expect((await post('[1]')).status).to.equal(400);
    });

    it('should refuse to send greetings while the licence is expired', async () => {
      await host.setLicense(PLUGIN_KEY, 'expired');
      try {
        const res = await host.request(`${API}/greetings`, { method: 'POST', auth: as(alice), body: { to: 'bob', text: 'Hi' } });
        expect(res.status).to.equal(403);
        expect((await host.request(`${API}/greetings`, { auth: as(bob) })).status).to.equal(200);
      } finally {
        await host.setLicense(PLUGIN_KEY, 'valid');
      }
    });

    it('should delete greetings older than 30 days when its job runs', async () => {
      const before = (await host.request(`${API}/greetings`, { auth: as(bob) })).json.greetings.length;
      expect(before).to.be.greaterThan(0);
      await host.clock.advance(29 * DAY);
      expect(await host.runJob(PLUGIN_KEY, 'greeting-prune-job')).to.equal(true);
      expect((await host.request(`${API}/greetings`, { auth: as(bob) })).json.greetings).to.have.length(before);
      await host.clock.advance(2 * DAY);
      expect(await host.runJob(PLUGIN_KEY, 'greeting-prune-job')).to.equal(true);
      expect((await host.request(`${API}/greetings`, { auth: as(bob) })).json.greetings).to.deep.equal([]);
      await host.clock.setOffset(0);
    });

    it('should keep its data across a disable and enable in UPM', async () => {
      await host.request(`${API}/greetings`, { method: 'POST', auth: as(alice), body: { to: 'bob', text: 'Still here' } });
      await host.setPluginEnabled(PLUGIN_KEY, false);
      expect((await host.request(`${API}/greeting`, { auth: as(alice) })).status).to.equal(404);
      await host.setPluginEnabled(PLUGIN_KEY, true);
      const inbox = await host.request(`${API}/greetings`, { auth: as(bob) });
      expect(inbox.json.greetings.map((g: { text: string }) => g.text)).to.deep.equal(['Still here']);
    });
  });
}
