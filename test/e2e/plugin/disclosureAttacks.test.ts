// Attack review (2026-12-04): what a caller can learn that it is not entitled to — whether a token
// id, public id, user or address exists or whose it is, read from status codes, headers, bodies and
// counts of every resource of both token APIs; fields that must never be serialised; and links in
// mails and answers built from a Host or forwarding header an attacker chose. A test that failed on
// the code of its day is a finding (marked so); the others pin defences that held.
import { expect } from 'chai';
import { formatToken } from '../../../plugin/token/TokenFormat';
import { forEachDatabase } from '../../support/databases';
import type { TestRequestOptions } from '../../support/hostServer';
import { printedFetch, printOf, spoofedRequest } from './support/answerPrint';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const PLUGIN = 'de.resolution.apitokenauth';
const API_TOKENS = '/rest/api-tokens';
const VERSIONS = ['latest', '1.0'] as const;
/**
 * Every way a request could name a site of the attacker's. The Host is an IP address: a node on
 * the loopback refuses any other name (421, `e2e/host/dnsRebinding`), and one beyond it answers
 * any Host, which no link may take either.
 */
const EVIL_HOST = '203.0.113.99';
const EVIL_HEADERS = {
  Host: EVIL_HOST, 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https',
  Forwarded: 'for=198.51.100.66;host=evil.example;proto=https', 'X-Original-URL': '//evil.example/x', 'X-Host': 'evil.example',
};
const DAY = 24 * 60 * 60 * 1000;

interface Mail { readonly to: string; readonly subject: string; readonly text: string; readonly html: string | null }

forEachDatabase('Disclosure attacks: ids, owners, fields and links a caller is not entitled to', (kind) => {
  let e2e: E2eEnv;
  let bobToken: { id: number; plainTextToken: string };
  let adminToken: { id: number; plainTextToken: string };
  let userless: { id: number; plainTextToken: string };
  let goneId: number;
  const callers: Record<string, TestRequestOptions> = {};

  before(async function () {
    this.timeout(60_000);
    e2e = await startE2e('jira', kind, { HOSTSIM_SYSPROPS: 'hostsim.trusted.proxies=127.0.0.1' });
    bobToken = await e2e.createToken('bob', { tokenDescription: 'bob disclosure' });
    adminToken = await e2e.createToken('admin', { tokenDescription: 'admin-only-description-7f3' });
    userless = await e2e.createToken('admin', { tokenDescription: 'userless disclosure', userless: true, ipAllowlist: ['10.0.0.0/8'] });
    const gone = await e2e.createToken('alice', { tokenDescription: 'deleted again' });
    expect((await e2e.as('alice', `${API}/user/token/${gone.id}`, { method: 'DELETE' })).status).to.equal(200);
    goneId = gone.id;
    callers.anonymous = {};
    callers['alice (password)'] = { auth: [e2e.users.alice.name, e2e.users.alice.password] };
    callers['alice (token)'] = { bearer: (await e2e.createToken('alice', { tokenDescription: 'alice rw' })).plainTextToken };
    callers['alice (read-only token)'] = { bearer: (await e2e.createToken('alice', { tokenDescription: 'alice ro', tokenScope: 1 })).plainTextToken };
    callers['alice (restricted token)'] = { bearer: (await e2e.createToken('alice', { tokenDescription: 'alice restricted', ipAllowlist: ['127.0.0.0/8'] })).plainTextToken };
  });
  after(async function () {
    this.timeout(30_000);
    await stopAndCheckLeaks(e2e);
  });

  const print = async (path: string, options: TestRequestOptions) => printOf(printedFetch(await e2e.req(path, options)));
  const outbox = async (): Promise<Mail[]> => (await e2e.as('admin', '/rest/hostsim/1.0/mail')).json as Mail[];
  /** The mails to `address` whose subject contains `about`, polled (mails go out after the answer). */
  const mailsTo = async (address: string, about: string, min = 1): Promise<Mail[]> => {
    for (let i = 0; i < 50; i++) {
      const found = (await outbox()).filter((m) => m.to === address && m.subject.includes(about));
      if (found.length >= min) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    return [];
  };
  const runJob = async (job: string, headers: Record<string, string> = {}) => {
    const res = await e2e.as('admin', `/rest/hostsim/1.0/jobs/${encodeURIComponent(`${PLUGIN}:${job}`)}/run`, { method: 'POST', headers });
    expect(res.status, res.text).to.equal(200);
  };
  /** Every absolute link in a mail: each must be under the configured base URL. */
  const linksOf = (mail: Mail): string[] => [...`${mail.text}\n${mail.html ?? ''}`.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0]);
  const expectOnlyOwnLinks = (mail: Mail, what: string) => {
    const links = linksOf(mail);
    expect(links.length, `${what}: links`).to.be.greaterThan(0);
    for (const link of links) expect(link.startsWith(`${e2e.host.baseUrl}/`), `${what}: ${link}`).to.equal(true);
    expect(`${mail.text}${mail.html ?? ''}`, what).to.not.include('evil.example').and.to.not.include(EVIL_HOST);
  };

  // ---- enumeration: ids of other users' tokens ---------------------------------------------------

  it('should answer every change of another user\'s token exactly as one of no token, for every caller and both versions', async function () {
    this.timeout(120_000);
    const routes = (version: string, id: number): Array<[string, TestRequestOptions]> => {
      const base = `/rest/${PLUGIN}/${version}/user/token/${id}`;
      return [
        [base, { method: 'DELETE' }],
        [base, { method: 'PATCH', body: { tokenDescription: 'renamed by someone else' } }],
        [`${base}/rotate`, { method: 'POST' }],
        [`${base}/snippets`, {}],
      ];
    };
    const victims = (caller: string): Record<string, number> => (caller === 'manager (password)'
      ? { 'a system admin\'s token': adminToken.id, 'a user-less token': userless.id }
      : { 'bob\'s token': bobToken.id, 'a system admin\'s token': adminToken.id, 'a user-less token': userless.id });
    const everyCaller = { ...callers, 'manager (password)': { auth: [e2e.users.manager.name, e2e.users.manager.password] as const } };
    for (const [caller, auth] of Object.entries(everyCaller)) {
      for (const version of VERSIONS) {
        for (let r = 0; r < 4; r++) {
          const [nonePath, noneOptions] = routes(version, 987654321)[r];
          const none = await print(nonePath, { ...noneOptions, ...auth });
          const [gonePath, goneOptions] = routes(version, goneId)[r];
          expect(await print(gonePath, { ...goneOptions, ...auth }), `${caller}: a deleted id`).to.equal(none);
          for (const [what, id] of Object.entries(victims(caller))) {
            const [path, options] = routes(version, id)[r];
            expect(await print(path, { ...options, ...auth }), `${caller}, ${options.method ?? 'GET'} ${path}: ${what}`).to.equal(none);
          }
        }
      }
    }
    const listed = (await e2e.as('admin', `${API}/user/tokensByFilter?limit=50`)).json.content as Array<{ id: number; description: string }>;
    expect(listed.find((t) => t.id === bobToken.id)?.description, 'nothing changed').to.equal('bob disclosure');
    expect(listed.some((t) => t.id === adminToken.id) && listed.some((t) => t.id === userless.id)).to.equal(true);
  });

  it('should answer an administrator\'s session without websudo the same for another user\'s token id and one of no token (finding)', async function () {
    this.timeout(30_000);
    // A session whose password was not confirmed on the websudo page: a hijacked browser, say.
    const cookie = await e2e.host.login(e2e.users.admin.name, e2e.users.admin.password);
    const inSession = (path: string, options: TestRequestOptions) => print(path, { ...options, headers: { ...options.headers, Cookie: cookie } });
    const calls = (id: number): Array<[string, TestRequestOptions]> => [
      [`${API}/user/token/${id}`, { method: 'DELETE' }],
      [`${API}/user/token/${id}`, { method: 'PATCH', body: { tokenDescription: 'renamed in a hijacked session' } }],
      [`${API}/user/token/${id}/rotate`, { method: 'POST' }],
      [`${API}/user/token/${id}/snippets`, {}],
    ];
    for (let r = 0; r < 4; r++) {
      const [nonePath, noneOptions] = calls(987654321)[r];
      const none = await inSession(nonePath, noneOptions);
      expect(await inSession(...calls(goneId)[r]), `a deleted id, ${nonePath}`).to.equal(none);
      for (const [what, id] of Object.entries({ 'bob\'s token': bobToken.id, 'a user-less token': userless.id })) {
        expect(await inSession(...calls(id)[r]), `${what}, ${noneOptions.method ?? 'GET'} ${nonePath}`).to.equal(none);
      }
    }
    // Its own tokens are its own to manage without the password, as before.
    const own = await e2e.createToken('admin', { tokenDescription: 'admin renames this in a session' });
    const renamed = await e2e.req(`${API}/user/token/${own.id}`, { method: 'PATCH', body: { tokenDescription: 'renamed' }, headers: { Cookie: cookie } });
    expect(renamed.status, renamed.text).to.equal(200);
    const listed = (await e2e.as('admin', `${API}/user/tokensByFilter?limit=50`)).json.content as Array<{ id: number; description: string }>;
    expect(listed.find((t) => t.id === bobToken.id)?.description, 'nothing changed').to.equal('bob disclosure');
  });

  it('should answer a deletion of another user\'s asp_ id on /rest/api-tokens exactly as one of no token', async function () {
    this.timeout(30_000);
    const bobAsp = ((await e2e.as('bob', `${API_TOKENS}/latest/`)).json as Array<{ id: string }>)[0].id;
    const adminAsp = ((await e2e.as('admin', `${API_TOKENS}/latest/`)).json as Array<{ id: string }>)[0].id;
    for (const [caller, auth] of Object.entries(callers)) {
      for (const version of VERSIONS) {
        const none = await print(`${API_TOKENS}/${version}/asp_AAAAAAAAAAAAAAAA`, { method: 'DELETE', ...auth });
        for (const id of [bobAsp, adminAsp]) {
          expect(await print(`${API_TOKENS}/${version}/${id}`, { method: 'DELETE', ...auth }), `${caller}, ${version}`).to.equal(none);
        }
      }
    }
    expect(((await e2e.as('bob', `${API_TOKENS}/latest/`)).json as Array<{ id: string }>).map((t) => t.id)).to.include(bobAsp);
  });

  it('should answer an on-behalf manager\'s lookup of a token out of reach exactly as an unknown one, by secret, public id and retired secret', async function () {
    this.timeout(30_000);
    const lookup = (body: Record<string, string>) => print(`${API}/admin/tokens/lookup`, { method: 'POST', body, auth: [e2e.users.manager.name, e2e.users.manager.password] });
    const rotating = await e2e.createToken('admin', { tokenDescription: 'admin rotates through itself' });
    const rotated = await e2e.req(`${API}/user/token/${rotating.id}/rotate`, { method: 'POST', bearer: rotating.plainTextToken });
    expect(rotated.status, rotated.text).to.equal(200);
    e2e.issued.push(rotated.json.plainTextToken);
    const unknownPublicId = 'ZZZZZZZZZZZZ';
    const none = await lookup({ publicId: unknownPublicId });
    expect(await lookup({ token: formatToken(unknownPublicId, 'A'.repeat(28)) }), 'an unknown token').to.equal(none);
    const outOfReach: Record<string, Record<string, string>> = {
      'a system admin\'s token': { token: adminToken.plainTextToken },
      'a system admin\'s public id': { publicId: adminToken.plainTextToken.slice(7, 19) },
      'a user-less token': { token: userless.plainTextToken },
      'a user-less public id': { publicId: userless.plainTextToken.slice(7, 19) },
      'a system admin\'s retired secret': { token: rotating.plainTextToken },
      'a system admin\'s retired public id': { publicId: rotating.plainTextToken.slice(7, 19) },
    };
    for (const [what, body] of Object.entries(outOfReach)) expect(await lookup(body), what).to.equal(none);
    expect((await e2e.as('manager', `${API}/admin/tokens/lookup`, { method: 'POST', body: { token: bobToken.plainTextToken } })).status, 'a token in reach').to.equal(200);
  });

  it('should answer the unauthenticated revocation API the same for a live token, a wrong secret, an unknown and a malformed string, and mail with configured links only', async function () {
    this.timeout(30_000);
    const carol = await e2e.createToken('carol', { tokenDescription: 'carol revoked by a stranger' });
    const revoke = (tokens: string[], i: number) => spoofedRequest(e2e.host.baseUrl, `${API}/tokens/revoke`, {
      method: 'POST', body: { tokens }, headers: { ...EVIL_HEADERS, 'X-Forwarded-For': `198.51.100.${10 + i}` },
    });
    const answers = [
      await revoke([formatToken(carol.plainTextToken.slice(7, 19), 'B'.repeat(28))], 0),
      await revoke([formatToken('YYYYYYYYYYYY', 'C'.repeat(28))], 1),
      await revoke(['not a token at all'], 2),
      await revoke([carol.plainTextToken], 3),
      await revoke([carol.plainTextToken], 4),
    ].map(printOf);
    for (const answer of answers.slice(1)) expect(answer).to.equal(answers[0]);
    const [mail] = await mailsTo(e2e.users.carol.email, 'carol revoked by a stranger');
    expect(mail, 'the revocation mail').to.not.equal(undefined);
    expectOnlyOwnLinks(mail, 'revocation mail');
  });

  it('should not tell the holder of a token refused by its IP allowlist which user names exist or whose the token is (finding)', async function () {
    this.timeout(30_000);
    const fenced = await e2e.createToken('alice', { tokenDescription: 'alice fenced in', ipAllowlist: ['10.0.0.0/8'] });
    const basic = (name: string, token: string) => print('/rest/api/2/myself', { auth: [name, token] });
    // A user-less token acts as whoever Basic names; from outside its allowlist it acts as nobody.
    const nobody = await basic('no-such-user', userless.plainTextToken);
    for (const name of ['bob', 'carol', 'admin', e2e.users.bob.email]) expect(await basic(name, userless.plainTextToken), `user-less token as ${name}`).to.equal(nobody);
    // An ordinary token named with someone else's name or with its owner's.
    expect(await basic('alice', fenced.plainTextToken), 'the owner\'s name').to.equal(await basic('bob', fenced.plainTextToken));
    expect(await basic('alice', fenced.plainTextToken), 'an unknown name').to.equal(await basic('no-such-user', fenced.plainTextToken));
    // Nor whether the owner is still active.
    const users = e2e.host.runtime.users;
    await users.createUser({ name: 'dora', password: 'dora-pw-1', email: 'dora@example.com', displayName: 'DORA', groups: ['jira-software-users'] });
    const dora = await e2e.req(`${API}/user/token`, { method: 'POST', auth: ['dora', 'dora-pw-1'], body: { tokenDescription: 'dora fenced in', ipAllowlist: ['10.0.0.0/8'] } });
    expect(dora.status, dora.text).to.equal(200);
    e2e.issued.push(dora.json.plainTextToken);
    const active = await print('/rest/api/2/myself', { bearer: dora.json.plainTextToken });
    await users.setActive('dora', false);
    expect(await print('/rest/api/2/myself', { bearer: dora.json.plainTextToken }), 'a deactivated owner').to.equal(active);
  });

  // ---- admin-only listings seen by an on-behalf manager -----------------------------------------

  it('should keep system admins\' and user-less tokens out of a manager\'s filters, totals, sort orders, pages and CSV', async function () {
    this.timeout(30_000);
    const asManager = (query: string, headers: Record<string, string> = {}) => e2e.as('manager', `${API}/user/tokensByFilter?${query}`, { headers });
    const shape = (res: { json: { content: unknown[]; total: number; totalPages: number } }) => JSON.stringify([res.json.content, res.json.total, res.json.totalPages]);
    const none = shape(await asManager('userFilter=no-such-user-key'));
    expect(shape(await asManager(`userFilter=${encodeURIComponent(e2e.users.admin.key)}`)), 'the admin\'s key').to.equal(none);
    expect(shape(await asManager(`userFilter=${encodeURIComponent(e2e.users.admin.key)}&userFilter=no-such-user-key`))).to.equal(none);
    expect(shape(await asManager('descriptionFilter=admin-only-description-7f3')), 'an admin token\'s description').to.equal(shape(await asManager('descriptionFilter=no-such-description-9q')));
    expect(shape(await asManager('descriptionFilter=userless%20disclosure'))).to.equal(shape(await asManager('descriptionFilter=no-such-description-9q')));
    const everyone = (await e2e.as('admin', `${API}/user/tokensByFilter?limit=50`)).json;
    const hidden = new Set((everyone.content as Array<{ id: number; tokenForUserKey: string }>)
      .filter((t) => t.tokenForUserKey === '' || t.tokenForUserKey === e2e.users.admin.key).map((t) => t.id));
    expect(hidden.size).to.be.greaterThan(1);
    for (const query of ['sort=user&order=asc', 'sort=user&order=desc', 'sort=description&order=desc', 'sort=lastAccessed', 'limit=1&page=0', 'limit=1&page=3']) {
      const page = (await asManager(query)).json;
      expect(page.total, query).to.equal(everyone.total - hidden.size);
      for (const t of page.content as Array<{ id: number }>) expect(hidden.has(t.id), `${query}: token ${t.id}`).to.equal(false);
    }
    const csv = await asManager('format=csv');
    expect(csv.status).to.equal(200);
    const ids = csv.text.trim().split('\r\n').slice(1).map((line) => Number(line.split(',')[0]));
    expect(ids.length).to.equal(everyone.total - hidden.size);
    for (const id of ids) expect(hidden.has(id), `CSV row ${id}`).to.equal(false);
  });

  it('should answer a manager\'s bulk deletion of tokens out of reach as one of no tokens, and delete none of them', async function () {
    this.timeout(30_000);
    const manager = [e2e.users.manager.name, e2e.users.manager.password] as const;
    const bulk = (body: unknown) => print(`${API}/admin/tokens/delete`, { method: 'POST', body, auth: manager });
    expect(await bulk({ ids: [adminToken.id, userless.id, 987654321] }), 'ids out of reach').to.equal(await bulk({ ids: [987654321] }));
    expect(await bulk({ filter: { userFilter: e2e.users.admin.key } }), 'a system admin\'s key').to.equal(await bulk({ filter: { userFilter: 'no-such-user-key' } }));
    expect(await bulk({ filter: { descriptionFilter: 'admin-only-description-7f3' } })).to.equal(await bulk({ filter: { descriptionFilter: 'no-such-description-9q' } }));
    const deleteAllFor = (key: string) => print(`${API}/user/token/deleteAllFor/${encodeURIComponent(key)}`, { method: 'DELETE', auth: manager });
    expect(await deleteAllFor(e2e.users.admin.key), 'deleteAllFor').to.equal(await deleteAllFor('no-such-user-key'));
    const ids = ((await e2e.as('admin', `${API}/user/tokensByFilter?limit=50`)).json.content as Array<{ id: number }>).map((t) => t.id);
    expect(ids).to.include(adminToken.id).and.include(userless.id);
  });

  it('should tell a user without the on-behalf permission nothing about an e-mail address or a user', async () => {
    for (const [caller, auth] of Object.entries(callers)) {
      const none = await print(`${API}/user/userKeyByEmail?email=nobody%40example.com`, auth);
      for (const email of [e2e.users.admin.email, e2e.users.bob.email]) {
        expect(await print(`${API}/user/userKeyByEmail?email=${encodeURIComponent(email)}`, auth), `${caller}: ${email}`).to.equal(none);
      }
      const create = (key: string) => print(`${API}/user/token`, { method: 'POST', body: { tokenDescription: 'for someone', tokenForUserKey: key }, ...auth });
      const nobody = await create('no-such-user-key');
      for (const key of [e2e.users.admin.key, e2e.users.bob.key]) expect(await create(key), `${caller}: create for ${key}`).to.equal(nobody);
    }
    const picker = `/plugins/servlet/${PLUGIN}/users`;
    const none = await print(`${picker}/search?query=nobody-at-all`, callers['alice (password)']);
    expect(await print(`${picker}/search?query=admin`, callers['alice (password)'])).to.equal(none);
    expect(await print(`${picker}/lookup?key=${encodeURIComponent(e2e.users.admin.key)}`, callers['alice (password)']))
      .to.equal(await print(`${picker}/lookup?key=no-such-user-key`, callers['alice (password)']));
  });

  // ---- fields that are never serialised ------------------------------------------------------------

  it('should serialise no hash, salt, secret or internal field in any answer, and the plain token only in its create answer', async function () {
    this.timeout(30_000);
    const mine = await e2e.createToken('alice', { tokenDescription: 'fields of mine' });
    const onBehalf = await e2e.createToken('manager', { tokenDescription: 'made for alice', tokenForUserKey: e2e.users.alice.key });
    const answers: Record<string, string> = {
      'own list': (await e2e.as('alice', `${API}/user/token`)).text,
      'own list, /rest/api-tokens': (await e2e.as('alice', `${API_TOKENS}/latest/`)).text,
      'PATCH answer': (await e2e.as('alice', `${API}/user/token/${mine.id}`, { method: 'PATCH', body: { tokenDescription: 'fields of mine, renamed' } })).text,
      snippets: (await e2e.as('alice', `${API}/user/token/${mine.id}/snippets`)).text,
      status: (await e2e.as('alice', `${API}/user/token/status`)).text,
      'manager\'s listing': (await e2e.as('manager', `${API}/user/tokensByFilter?limit=50`)).text,
      'manager\'s CSV': (await e2e.as('manager', `${API}/user/tokensByFilter?format=csv`)).text,
      'manager\'s lookup': (await e2e.as('manager', `${API}/admin/tokens/lookup`, { method: 'POST', body: { token: onBehalf.plainTextToken } })).text,
      'an error echoing the client': (await e2e.as('alice', `${API}/user/token/${mine.id}`, { method: 'PATCH', body: { tokenDescription: mine.plainTextToken } })).text,
      'a refused token': (await e2e.req('/rest/api/2/myself', { auth: ['bob', mine.plainTextToken] })).text,
    };
    const forbiddenKey = /"(salt|hash|saltHex|hashHex|secret|plainTextToken|token|knownIps|notificationState|issuedTo|issuedVia|version|retiredSecrets)"\s*:/i;
    for (const [what, text] of Object.entries(answers)) {
      expect(text, what).to.not.match(forbiddenKey);
      for (const plain of e2e.issued) expect(text.includes(plain.slice(20, 48)), `${what}: a secret`).to.equal(false);
    }
    // Another user's e-mail address is for the lookup alone, which names the owner to whoever may find the token.
    for (const what of ['own list', 'manager\'s listing', 'manager\'s CSV', 'snippets']) expect(answers[what], what).to.not.include('@example.com');
  });

  // ---- mails and links -----------------------------------------------------------------------------

  it('should not tell the owner another user\'s address or token id when that user issued the owner\'s token through their own token (finding)', async function () {
    this.timeout(30_000);
    const managerToken = await e2e.createToken('manager', { tokenDescription: 'manager provisioning' });
    const managerIp = '203.0.113.77';
    const created = await e2e.req(`${API}/user/token`, {
      method: 'POST', bearer: managerToken.plainTextToken, headers: { 'X-Forwarded-For': managerIp },
      body: { tokenDescription: 'provisioned for alice', tokenForUserKey: e2e.users.alice.key },
    });
    expect(created.status, created.text).to.equal(200);
    e2e.issued.push(created.json.plainTextToken);
    const [mail] = await mailsTo(e2e.users.alice.email, 'provisioned for alice');
    expect(mail, 'the owner is still told').to.not.equal(undefined);
    expect(`${mail.text}${mail.html}`, 'the manager\'s address').to.not.include(managerIp);
    expect(mail.text, 'the manager\'s token id').to.not.match(new RegExp(`\\b(id|ID) ${managerToken.id}\\b`));
    // The same for a regeneration of her token through his.
    const rotated = await e2e.req(`${API}/user/token/${created.json.id}/rotate`, { method: 'POST', bearer: managerToken.plainTextToken, headers: { 'X-Forwarded-For': managerIp } });
    expect(rotated.status, rotated.text).to.equal(200);
    e2e.issued.push(rotated.json.plainTextToken);
    const mails = await mailsTo(e2e.users.alice.email, 'provisioned for alice', 2);
    expect(mails, 'the regeneration is told too').to.have.length(2);
    for (const one of mails) expect(`${one.text}${one.html}`, one.subject).to.not.include(managerIp);
    // Control: through her own token, the owner reads her own address, as before.
    const own = await e2e.req(`${API}/user/token`, { method: 'POST', bearer: callers['alice (token)'].bearer, headers: { 'X-Forwarded-For': '198.51.100.7' }, body: { tokenDescription: 'alice through her own' } });
    expect(own.status, own.text).to.equal(200);
    e2e.issued.push(own.json.plainTextToken);
    const [ownMail] = await mailsTo(e2e.users.alice.email, 'alice through her own');
    expect(ownMail.text).to.include('198.51.100.7');
  });

  it('should build every link of the new-IP and issued-through-token mails from the configured base URL, whatever Host the trigger sent', async function () {
    this.timeout(60_000);
    const roaming = await e2e.createToken('bob', { tokenDescription: 'bob roaming' });
    for (const ip of ['192.0.2.1', '192.0.2.2']) {
      const used = await spoofedRequest(e2e.host.baseUrl, '/rest/api/2/myself', { headers: { ...EVIL_HEADERS, 'X-Forwarded-For': ip, Authorization: `Bearer ${roaming.plainTextToken}` } });
      expect(used.status).to.equal(200);
    }
    const issued = await spoofedRequest(e2e.host.baseUrl, `${API}/user/token`, {
      method: 'POST', body: { tokenDescription: 'bob issued through a token' }, headers: { ...EVIL_HEADERS, Authorization: `Bearer ${roaming.plainTextToken}` },
    });
    expect(issued.status, issued.text).to.equal(200);
    e2e.issued.push(issued.json.plainTextToken);
    await runJob('new-ip-alert-job', EVIL_HEADERS);
    for (const about of ['bob roaming', 'bob issued through a token']) {
      const [mail] = await mailsTo(e2e.users.bob.email, about);
      expect(mail, about).to.not.equal(undefined);
      expectOnlyOwnLinks(mail, about);
    }
  });

  it('should build page links, snippets and redirects from the configured base URL, never from the request\'s Host', async function () {
    this.timeout(30_000);
    const basic = `Basic ${Buffer.from(`${e2e.users.admin.name}:${e2e.users.admin.password}`).toString('base64')}`;
    const page = await spoofedRequest(e2e.host.baseUrl, `${API}/user/tokensByFilter?limit=1`, { headers: { ...EVIL_HEADERS, Authorization: basic } });
    expect(page.status).to.equal(200);
    expect(page.json.paginationLinks.baseUrl).to.equal(e2e.host.baseUrl);
    expect(page.json.paginationLinks.nextPage.startsWith(`${e2e.host.baseUrl}/`)).to.equal(true);
    const snippets = await spoofedRequest(e2e.host.baseUrl, `${API}/user/token/${adminToken.id}/snippets`, { headers: { ...EVIL_HEADERS, Authorization: basic } });
    expect(snippets.status).to.equal(200);
    const created = await spoofedRequest(e2e.host.baseUrl, `${API}/user/token?snippets=true`, { method: 'POST', body: { tokenDescription: 'snippets with a spoofed host' }, headers: { ...EVIL_HEADERS, Authorization: basic } });
    expect(created.status, created.text).to.equal(200);
    e2e.issued.push(created.json.plainTextToken);
    for (const text of [page.text, snippets.text, created.text]) expect(text).to.not.include('evil.example').and.to.not.include(EVIL_HOST);
    for (const path of [`/plugins/servlet/${PLUGIN}`, `/plugins/servlet/${PLUGIN}/admin`, '/secure/ViewProfile.jspa', '/login.jsp?os_destination=%2Fsecure%2FViewProfile.jspa']) {
      const res = await spoofedRequest(e2e.host.baseUrl, path, { headers: EVIL_HEADERS });
      expect(`${res.headers.location ?? ''}${res.text}`, path).to.not.include('evil.example').and.to.not.include(EVIL_HOST);
    }
  });
  // Last: it moves the host's clock.
  it('should build every link of the expiry warning from the configured base URL, whatever Host the job was started with', async function () {
    this.timeout(30_000);
    await e2e.createToken('bob', { tokenDescription: 'bob expiring soon', tokenExpirationDateTimeMillis: Date.now() + 10 * DAY });
    const clock = (offsetMillis: number) => e2e.as('admin', '/rest/hostsim/1.0/clock', { method: 'PUT', body: { offsetMillis } });
    expect((await clock(4 * DAY)).status).to.equal(200);
    try {
      await runJob('expiry-warning-job', EVIL_HEADERS);
      const [mail] = await mailsTo(e2e.users.bob.email, 'bob expiring soon');
      expect(mail, 'the expiry warning').to.not.equal(undefined);
      expectOnlyOwnLinks(mail, 'expiry warning');
    } finally {
      expect((await clock(0)).status).to.equal(200);
    }
  });
});
