// Attack review (2026-12-04): data across versions. In a rolling upgrade nodes of two plugin
// versions share one database, and an administrator may downgrade the plugin: a row, a setting or
// a schema this version did not write itself must never make a token stronger than its owner
// made it, nor answer a 500. Each case writes the other version's value straight into the
// database and asks the running host. A test that failed on the code before the review is a
// finding (named in its title); the others are kept as a regression catalogue. The unit side
// (cluster messages of another version): test/unit/plugin/crossVersionDataAttacks.
import { expect } from 'chai';
import { upgradeTasks } from '../../../ao-schema/apitokenauth';
import { upperSnake } from '../../../host-sim/impl/ao/aoNaming';
import { dialectOf, forEachDatabase } from '../../support/databases';
import { useMigrationDatabase } from '../../support/migrationDatabase';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';
import { JIRA_TOKEN_TABLE, queryRows, writeRows } from './support/seedTokenRows';

const MYSELF = '/rest/api/2/myself';
const PLUGIN_KEY = 'de.resolution.apitokenauth';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

forEachDatabase('Data across versions: token rows and settings another version wrote', (kind) => {
  let e2e: E2eEnv;

  before(async () => { e2e = await startE2e('jira', kind); });
  after(() => stopAndCheckLeaks(e2e));

  /** A fresh token of `user` (not cached yet) whose row then gets `values`. */
  const tokenWithRow = async (user: 'alice' | 'carol', values: Record<string, string | number | null>, body: Record<string, unknown> = {}) => {
    const token = await e2e.createToken(user, { tokenDescription: `cross-version ${Object.keys(values).join(',')}`, ...body });
    const sets = Object.keys(values).map((c) => `"${c}" = ?`).join(', ');
    await writeRows(e2e.host.dbUrl, `UPDATE "${JIRA_TOKEN_TABLE}" SET ${sets} WHERE "ID" = ?`, [...Object.values(values), token.id]);
    return token;
  };
  const bearer = (token: string, path = MYSELF, options: { method?: string; body?: unknown } = {}) =>
    e2e.req(path, { ...options, headers: { Authorization: `Bearer ${token}` } });
  const listingsAnswer = async (user: 'alice' | 'carol', what: string) => {
    const own = await e2e.as(user, `${API}/user/token`);
    expect(own.status, `${what}: own listing`).to.equal(200);
    const all = await e2e.as('admin', `${API}/user/tokensByFilter?descriptionFilter=cross-version`);
    expect(all.status, `${what}: Token Manager`).to.equal(200);
  };

  // ---- token rows --------------------------------------------------------------------------------

  it('should refuse a token whose stored scope this version does not know, and list it (finding: it worked as read/write)', async () => {
    for (const scope of [3, 4, 7, 99, -1]) {
      const token = await tokenWithRow('alice', { SCOPE: scope });
      expect((await bearer(token.plainTextToken)).status, `scope ${scope}, Bearer`).to.equal(401);
      const basic = await e2e.req(MYSELF, { headers: { Authorization: `Basic ${b64(`alice:${token.plainTextToken}`)}` } });
      expect(basic.status, `scope ${scope}, Basic`).to.equal(401);
      await listingsAnswer('alice', `scope ${scope}`);
      const listed = (await e2e.as('alice', `${API}/user/token`)).json as Array<{ id: number; tokenScope: number }>;
      expect(listed.find((t) => t.id === token.id)?.tokenScope, `scope ${scope} listed as read-only, never read/write`).to.equal(1);
    }
    expect(e2e.logs.some((l) => l.includes('UNREADABLE_ROW')), 'the log names the reason').to.equal(true);
  });

  it('should refuse a token whose restrictions hold what this version cannot read, never treat it as unrestricted (finding: a stored set limiting nothing was unrestricted)', async () => {
    const stored: Record<string, string> = {
      'a future rule field': '{"rules":[{"urlPattern":".*","timeWindow":"09:00-17:00"}],"ipAllowlist":[]}',
      'a future rule kind': '{"rules":[{"kind":"clientCertificate","urlPattern":".*"}],"ipAllowlist":[]}',
      'a future condition form': '{"rules":[{"urlPattern":".*","headers":{"X-Env":{"regex":"prod"}}}],"ipAllowlist":[]}',
      'a future root key': '{"rules":[],"ipAllowlist":[],"countries":["DE"]}',
      'a future allowlist entry form': '{"rules":[],"ipAllowlist":[{"cidr":"10.0.0.0/8"}]}',
      'an allowlist entry with a comment': '{"rules":[],"ipAllowlist":["10.0.0.0/8 # office"]}',
      'JSON cut off': '{"rules":[{"urlPattern":".*"',
      'JSON null': 'null',
      'an empty object': '{}',
      'an empty list': '[]',
      'a JSON string': '"[GET].*"',
      'the text form': '[GET].*/rest/api/2/myself',
      'an empty string': '',
      'rules a version may mean as "nothing"': '{"rules":[],"ipAllowlist":[]}',
    };
    for (const [what, value] of Object.entries(stored)) {
      const token = await tokenWithRow('alice', { RESTRICTIONS: value });
      const res = await bearer(token.plainTextToken, '/rest/api/2/serverInfo');
      expect(res.status, what).to.equal(403);
      expect(res.json?.errorMessage, what).to.be.a('string');
      await listingsAnswer('alice', what);
    }
  });

  it('should refuse a user-less token whose row holds no restriction, as any user named in Basic (finding: it acted as anyone, unrestricted)', async () => {
    for (const value of [null, '{"rules":[],"ipAllowlist":[]}']) {
      const userless = await e2e.createToken('admin', { userless: true, tokenDescription: 'cross-version user-less', restrictions: '[GET].*/rest/api/2/myself' });
      await writeRows(e2e.host.dbUrl, `UPDATE "${JIRA_TOKEN_TABLE}" SET "RESTRICTIONS" = ? WHERE "ID" = ?`, [value, userless.id]);
      const res = await e2e.req('/rest/api/2/user?username=alice', { headers: { Authorization: `Basic ${b64(`bob:${userless.plainTextToken}`)}` } });
      expect(res.status, String(value)).to.equal(403);
      expect(res.json?.errorMessage).to.be.a('string');
    }
  });

  it('should not make a token sudo for a SUDO value other than 1 (held)', async () => {
    const on = await e2e.inSession('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: true } });
    expect(on.status, on.text).to.equal(200);
    try {
      const runAs = (token: string) => e2e.req(MYSELF, { headers: { Authorization: `Bearer ${token}`, 'X-Atlassian-Run-As': 'alice' } });
      const sudo = await e2e.createToken('admin', { tokenDescription: 'cross-version sudo', sudo: true });
      expect((await runAs(sudo.plainTextToken)).status, 'SUDO 1').to.equal(200);
      const other = await e2e.createToken('admin', { tokenDescription: 'cross-version sudo 2', sudo: true });
      const planted = await writeRows(e2e.host.dbUrl, `UPDATE "${JIRA_TOKEN_TABLE}" SET "SUDO" = 2 WHERE "ID" = ?`, [other.id])
        .then(() => true, () => false);
      if (kind === 'postgres') {
        // PostgreSQL's BOOLEAN column holds no other value: the row cannot be written, the token stays what it was.
        expect(planted, 'SUDO 2 written on PostgreSQL').to.equal(false);
        expect((await runAs(other.plainTextToken)).status, 'SUDO unchanged').to.equal(200);
      } else {
        expect(planted, 'SUDO 2 written').to.equal(true);
        expect((await runAs(other.plainTextToken)).status, 'SUDO 2').to.equal(403);
      }
    } finally {
      await e2e.inSession('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: false } });
    }
  });

  it('should refuse a token held to a person this node does not know, or in a form it cannot read (held)', async () => {
    for (const holder of ['JIRAUSER99999', 'group:jira-administrators', '', ' ']) {
      const token = await tokenWithRow('alice', { ISSUED_TO: holder });
      const res = await bearer(token.plainTextToken);
      if (holder === '') expect(res.status, 'an empty holder is the owner').to.equal(200);
      else expect(res.status, JSON.stringify(holder)).to.equal(401);
    }
  });

  it('should answer listings, the Token Manager and the CSV export without a 500 for values of other versions (held)', async () => {
    await tokenWithRow('carol', { SCOPE: 5, RESTRICTIONS: '{"rules":[', KNOWN_IPS: '{"v2":true}', NOTIFICATION_STATE: '[1,2', ISSUED_VIA: 987654, LAST_IP: 'fe80::1%eth0' });
    await listingsAnswer('carol', 'odd row');
    const csv = await e2e.as('admin', `${API}/user/tokensByFilter?format=csv&descriptionFilter=cross-version`);
    expect(csv.status).to.equal(200);
  });

  // ---- settings ----------------------------------------------------------------------------------

  /** Stores `value` as the raw text of setting `key` (null: removes it), then has the node read the settings again. */
  const rawSetting = async (key: string, value: string | null) => {
    const name = `settings.${key}`;
    await writeRows(e2e.host.dbUrl, 'DELETE FROM HOST_PLUGIN_SETTING WHERE PLUGIN_KEY = ? AND SETTING_KEY = ?', [PLUGIN_KEY, name]);
    if (value !== null) {
      await writeRows(e2e.host.dbUrl, 'INSERT INTO HOST_PLUGIN_SETTING (PLUGIN_KEY, SETTING_KEY, SETTING_VALUE, UPDATED) VALUES (?, ?, ?, ?)', [PLUGIN_KEY, name, value, Date.now()]);
    }
    // A change of another setting drops every node's cached settings (in a session: password Basic may be off).
    const current = await e2e.inSession('admin', `${API}/admin/settings`);
    expect(current.status).to.equal(200);
    const flip = await e2e.inSession('admin', `${API}/admin/settings`, { method: 'PUT', body: { notifyOnNewIp: !current.json.notifyOnNewIp } });
    expect(flip.status, flip.text).to.equal(200);
  };
  const settingsAnswer = async (what: string) => {
    const res = await e2e.inSession('admin', `${API}/admin/settings`);
    expect(res.status, what).to.equal(200);
    return res.json as Record<string, unknown>;
  };

  it('should read an unreadable passwordBasicAuthAllowed as false (finding: passwords were let in again)', async () => {
    for (const value of ['{"allowed":false,"except":["svc-*"]}', '"adminsOnly"', '0', '{{{']) {
      await rawSetting('passwordBasicAuthAllowed', value);
      expect((await e2e.as('alice', MYSELF)).status, value).to.equal(401);
      expect((await settingsAnswer(value)).passwordBasicAuthAllowed).to.equal(false);
    }
    await rawSetting('passwordBasicAuthAllowed', null);
    expect((await e2e.as('alice', MYSELF)).status).to.equal(200);
  });

  it('should read an unreadable authSchemes as bearer only (finding: both schemes were let in)', async () => {
    const token = (await e2e.createToken('alice', { tokenDescription: 'cross-version schemes' })).plainTextToken;
    for (const value of ['"bearer+mtls"', '["bearer"]', 'none']) {
      await rawSetting('authSchemes', value);
      const basic = await e2e.req(MYSELF, { headers: { Authorization: `Basic ${b64(`alice:${token}`)}` } });
      expect(basic.status, value).to.equal(401);
      expect((await bearer(token)).status, value).to.equal(200);
    }
    await rawSetting('authSchemes', null);
  });

  it('should refuse every token while the global IP allowlist cannot be read (finding: it read as "any address")', async () => {
    const token = (await e2e.createToken('alice', { tokenDescription: 'cross-version allowlist' })).plainTextToken;
    for (const value of ['[{"cidr":"10.0.0.0/8"}]', '["10.0.0.0/8 # office"]', '"10.0.0.0/8"', '[']) {
      await rawSetting('ipAllowlist', value);
      const res = await bearer(token);
      expect(res.status, value).to.equal(403);
      expect(res.json?.errorMessage).to.be.a('string');
      await settingsAnswer(value);
    }
    await rawSetting('ipAllowlist', null);
    expect((await bearer(token)).status).to.equal(200);
  });

  it('should let nobody use tokens while tokenUserGroups cannot be read (finding: it read as "everyone")', async () => {
    const token = (await e2e.createToken('alice', { tokenDescription: 'cross-version token users' })).plainTextToken;
    for (const value of ['[{"group":"jira-administrators"}]', '{"groups":["jira-administrators"]}', '"jira-administrators"']) {
      await rawSetting('tokenUserGroups', value);
      expect((await bearer(token)).status, value).to.equal(401);
      await settingsAnswer(value);
    }
    await rawSetting('tokenUserGroups', null);
    expect((await bearer(token)).status).to.equal(200);
  });

  it('should make every token read-only while readOnlyOnlyGroups cannot be read (finding: it read as "nobody")', async () => {
    const token = (await e2e.createToken('alice', { tokenDescription: 'cross-version read-only-only' })).plainTextToken;
    await rawSetting('readOnlyOnlyGroups', '[{"group":"jira-software-users"}]');
    const write = await bearer(token, '/rest/api/2/issue', { method: 'POST', body: { fields: {} } });
    expect(write.status).to.equal(403);
    expect(write.json?.errorMessage).to.be.a('string');
    expect((await bearer(token)).status, 'reading still works').to.equal(200);
    await rawSetting('readOnlyOnlyGroups', null);
    expect((await bearer(token, '/rest/api/2/issue', { method: 'POST', body: { fields: {} } })).status).not.to.equal(403);
  });

  it('should take the tightest limits when maxValidityMonths or maxTokensPerUser cannot be read (finding: the defaults were looser)', async () => {
    await rawSetting('maxValidityMonths', '{"months":3,"forAdmins":24}');
    const created = await e2e.createToken('alice', { tokenDescription: 'cross-version validity', tokenValidityTimeInMonths: 6 });
    const days = (Number(created.tokenExpirationDateTimeMillis) - Date.now()) / 86_400_000;
    expect(days, 'one month at most').to.be.at.most(31.5);
    await rawSetting('maxValidityMonths', null);
    await rawSetting('maxTokensPerUser', '"unlimited"');
    const count = (await e2e.as('carol', `${API}/user/token`)).json.length as number;
    const res = await e2e.as('carol', `${API}/user/token`, { method: 'POST', body: { tokenDescription: 'over the quota' } });
    if (count >= 1) expect(res.status, 'quota of one').to.be.within(400, 499);
    else expect(res.status).to.equal(200);
    if (res.status === 200) e2e.issued.push(res.json.plainTextToken);
    await rawSetting('maxTokensPerUser', null);
  });

  it('should ignore settings of a newer version it has no key for, and keep saving its own (held)', async () => {
    await rawSetting('certificateAuth', '{"enabled":true,"trustAnyIssuer":true}');
    const settings = await settingsAnswer('unknown key');
    expect(settings).not.to.have.property('certificateAuth');
    const rows = await queryRows(e2e.host.dbUrl, 'SELECT SETTING_VALUE FROM HOST_PLUGIN_SETTING WHERE PLUGIN_KEY = ? AND SETTING_KEY = ?', [PLUGIN_KEY, 'settings.certificateAuth']);
    expect(rows.length, 'left for the version that wrote it').to.equal(1);
    await rawSetting('certificateAuth', null);
  });
});

forEachDatabase('Data across versions: a downgrade and the re-upgrade', (kind) => {
  const m = useMigrationDatabase(kind);
  const TABLE = 'AO_TESTDG_TOKEN';
  const q = (names: string) => names.split(', ').map((n) => m.ds.driver.escape(n)).join(', ');
  const tasks = () => upgradeTasks({ dialect: dialectOf(kind), tableName: (entity) => `AO_TESTDG_${upperSnake(entity)}` });
  const insert = (publicId: string, extra = '', value = '') => m.runner.query(
    `INSERT INTO ${q(TABLE)} (${q(`PUBLIC_ID, STRING_ID, USER_KEY, DESCRIPTION, CREATED, CREATED_BY, VALID_UNTIL, SALT, HASH${extra}`)}) `
    + `VALUES ('${publicId}', 's${publicId}', 'u', 'd', 1, 'm', 2, 'aa', 'bb'${value})`);
  const columns = async () => (await m.runner.getTable(TABLE))?.columns.map((c) => c.name) ?? [];
  const upAll = async () => { for (const task of tasks()) await task.up(m.runner); };
  const downTo = async (count: number) => { for (const task of tasks().slice(count).reverse()) await task.down(m.runner); };
  const refused = async (count: number): Promise<Error> => {
    try {
      await downTo(count);
    } catch (err) {
      return err as Error;
    }
    return expect.fail('the downgrade went through');
  };

  it('should refuse to drop ISSUED_TO while a token is held to someone other than its owner (finding: the holder rule was lost)', async () => {
    await upAll();
    await insert('held', ', ISSUED_TO', ", 'manager'");
    expect((await refused(7)).name).to.equal('DowngradeWouldWidenTokens');
    expect(await columns(), 'the column and its value stay').to.include('ISSUED_TO');
    expect((await m.runner.query(`SELECT ${q('ISSUED_TO')} FROM ${q(TABLE)}`) as Array<{ ISSUED_TO: string }>)[0].ISSUED_TO).to.equal('manager');
  });

  it('should refuse to drop ISSUED_VIA while a token was issued through another (finding: its revocation no longer reached it)', async () => {
    await upAll();
    await insert('child', ', ISSUED_VIA', ', 1');
    expect((await refused(5)).name).to.equal('DowngradeWouldWidenTokens');
    expect(await columns()).to.include('ISSUED_VIA');
  });

  it('should refuse to drop the retired secrets while any is kept (finding: a thief\'s replaced secret no longer revoked the token)', async () => {
    await upAll();
    const retired = 'AO_TESTDG_RETIRED_SECRET';
    await m.runner.query(`INSERT INTO ${q(retired)} (${q('TOKEN_STRING_ID, PUBLIC_ID, SALT, HASH, RETIRED')}) VALUES ('sx', 'px', 'aa', 'bb', 1)`);
    expect((await refused(6)).name).to.equal('DowngradeWouldWidenTokens');
    expect((await m.runner.getTable(retired))?.name).to.equal(retired);
  });

  it('should go down and up again when no token holds such data, and come back with the restrictive values (held)', async () => {
    await upAll();
    await insert('plain', ', SUDO, RENEWED, USE_AUDITED_AT, USE_AUDITED_IP', `, ${kind === 'postgres' ? 'TRUE' : '1'}, 5, 6, '10.0.0.1'`);
    await downTo(1);
    expect(await columns()).not.to.include.members(['SUDO', 'ISSUED_VIA', 'ISSUED_TO', 'RENEWED']);
    for (const task of tasks().slice(1)) await task.up(m.runner);
    const [row] = await m.runner.query(`SELECT ${q('SUDO, ISSUED_VIA, ISSUED_TO, RENEWED, USE_AUDITED_AT')} FROM ${q(TABLE)}`) as Array<Record<string, unknown>>;
    // SUDO back as 0 (not sudo), no holder nor issuer (a password or session made it), never renewed, no audit known.
    expect(Number(row.SUDO)).to.equal(0);
    expect([row.ISSUED_VIA, row.ISSUED_TO, row.RENEWED, row.USE_AUDITED_AT]).to.deep.equal([null, null, null, null]);
  });
});
