// Attack review (2026-12-04): the credential itself, over HTTP on a real host — how the Authorization header
// is read (scheme case and spacing, quoting, look-alikes, Basic user names and encodings), where a
// token must never be read from (query, cookies, other headers, the login forms), which identity
// wins when a token comes with a session, a damaged stored hash, the owner's state, and a token
// of the other product. A test that fails on the current code is a finding; the others are kept
// as a regression catalogue. The unit side: test/unit/plugin/credentialAttacks.
import { expect } from 'chai';
import { CHECKSUM_LENGTH, formatToken } from '../../../plugin/token/TokenFormat';
import { forEachDatabase } from '../../support/databases';
import { rawRequest, type RawResponse } from '../restrictions/support/rawHttp';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';
import { writeRows } from './support/seedTokenRows';

const MYSELF = '/rest/api/2/myself';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
/** A string whose UTF-8 bytes go out as they are in a header (Node sends header strings as Latin-1). */
const utf8Bytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

forEachDatabase('Credential attacks: header parsing, where a token is read, identity', (kind) => {
  let e2e: E2eEnv;
  let alice: string;
  let bob: string;

  before(async () => {
    e2e = await startE2e('jira', kind);
    alice = (await e2e.createToken('alice', { tokenDescription: 'alice credential attacks' })).plainTextToken;
    bob = (await e2e.createToken('bob', { tokenDescription: 'bob credential attacks' })).plainTextToken;
  });
  after(() => stopAndCheckLeaks(e2e));

  /** GET /myself with a raw Authorization header (and more headers): the status and whom it ran as. */
  const myselfWith = async (authorization: string | null, headers: Record<string, string> = {}, path = MYSELF): Promise<RawResponse> =>
    rawRequest(e2e.host.url, path, { headers: authorization === null ? headers : { ...headers, Authorization: authorization } });
  const who = (res: RawResponse): string => (res.status === 200 ? `200 as ${res.json?.name}` : String(res.status));
  const failedLogins = async (name: string) => (await e2e.host.runtime.loginManager.getLoginInfo(name)).currentFailedLoginCount;
  const sessionOf = async (user: 'alice' | 'bob'): Promise<string> => {
    const login = await e2e.req('/rest/auth/1/session', { method: 'POST', body: { username: e2e.users[user].name, password: e2e.users[user].password } });
    expect(login.status, login.text).to.equal(200);
    return `${login.json.session.name}=${login.json.session.value}`;
  };

  // ---- the Bearer header ------------------------------------------------------------------------

  it('should admit Bearer in any letter case of the scheme, with several spaces or trailing spaces, as the owner', async () => {
    for (const header of [`Bearer ${alice}`, `bearer ${alice}`, `BEARER ${alice}`, `bEARER ${alice}`, `Bearer   ${alice}`, `Bearer ${alice}   `]) {
      expect(who(await myselfWith(header)), JSON.stringify(header)).to.equal('200 as alice');
    }
  });

  it('should refuse every other spelling of a Bearer token with 401, as nobody', async () => {
    const body = alice.slice(0, -CHECKSUM_LENGTH);
    const fullWidth = alice.slice(0, 7) + alice.slice(7).replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    const spellings: Record<string, string> = {
      'tab after the scheme': `Bearer\t${alice}`,
      'no-break space after the scheme': `Bearer\u00a0${alice}`,
      'double-quoted token': `Bearer "${alice}"`,
      'single-quoted token': `Bearer '${alice}'`,
      'comma list with Basic': `Bearer ${alice}, Basic ${b64(`alice:${e2e.users.alice.password}`)}`,
      'comma after the token': `Bearer ${alice},`,
      'second word': `Bearer ${alice} ${alice}`,
      'token=value form': `Bearer token=${alice}`,
      'upper-cased token': `Bearer ${alice.toUpperCase()}`,
      'lower-cased token': `Bearer ${alice.toLowerCase()}`,
      'upper-cased prefix': `Bearer APITOK_${alice.slice(7)}`,
      'full-width characters (UTF-8)': `Bearer ${utf8Bytes(fullWidth)}`,
      'Cyrillic a in the public id (UTF-8)': `Bearer ${utf8Bytes(`${alice.slice(0, 7)}\u0430${alice.slice(8)}`)}`,
      'zero-width space inside (UTF-8)': `Bearer ${utf8Bytes(`${alice.slice(0, 25)}\u200b${alice.slice(25)}`)}`,
      'percent-encoded separator': `Bearer ${alice.slice(0, 19)}%5F${alice.slice(20)}`,
      'base64 of the token': `Bearer ${b64(alice)}`,
      'base64 of owner:token': `Bearer ${b64(`alice:${alice}`)}`,
      'padding appended': `Bearer ${alice}==`,
      'checksum cut off': `Bearer ${body}`,
      'altered secret, checksum recomputed': `Bearer ${formatToken(alice.slice(7, 19), 'A'.repeat(28))}`,
      'bob\'s secret under alice\'s public id': `Bearer ${formatToken(alice.slice(7, 19), bob.slice(20, 48))}`,
      'no token': 'Bearer',
    };
    for (const [name, header] of Object.entries(spellings)) {
      const res = await myselfWith(header);
      expect(who(res), name).to.equal('401');
    }
    expect((await failedLogins('alice'))).to.equal(0);
  });

  // ---- the Basic header -------------------------------------------------------------------------

  it('should admit Basic with the owner\'s name in any case or e-mail address, in every base64 form of the same bytes', async () => {
    const bytes = Buffer.from(`alice:${alice}`);
    const url = bytes.toString('base64url');
    for (const credentials of [bytes.toString('base64'), bytes.toString('base64').replace(/=+$/, ''), url, url + '='.repeat((4 - (url.length % 4)) % 4)]) {
      expect(who(await myselfWith(`Basic ${credentials}`)), credentials).to.equal('200 as alice');
    }
    for (const name of ['ALICE', 'Alice', e2e.users.alice.email, e2e.users.alice.email.toUpperCase()]) {
      expect(who(await myselfWith(`Basic ${b64(`${name}:${alice}`)}`)), name).to.equal('200 as alice');
    }
    expect(who(await myselfWith(`basic ${b64(`alice:${alice}`)}`)), 'scheme in lower case').to.equal('200 as alice');
  });

  it('should refuse Basic naming anyone but the owner, and never act as the named user', async () => {
    const names: Record<string, string> = {
      'another user': 'bob',
      'another user\'s e-mail': e2e.users.bob.email,
      'the owner\'s key': e2e.users.alice.key,
      'an unknown user': 'nobody-here',
      'the owner with a leading space': ' alice',
      'the owner with a trailing space': 'alice ',
      'the owner in full-width letters': 'ａｌｉｃｅ',
      'the token itself': alice,
      'an administrator': 'admin',
    };
    for (const [what, name] of Object.entries(names)) {
      const res = await myselfWith(`Basic ${b64(`${name}:${alice}`)}`);
      expect(who(res), what).to.equal('401');
      expect(res.json, what).to.have.keys(['errorMessage']);
    }
    expect(await failedLogins('bob')).to.equal(0);
    expect(await failedLogins('admin')).to.equal(0);
  });

  it('should refuse Basic with an empty user name, a token split over name and password, or more after the token', async () => {
    const full = b64(`alice:${alice}`);
    // Token-shaped (the password starts with the prefix) or no password at all: the plugin's or the
    // login's refusal, never a password check.
    const tokenShaped: Record<string, string> = {
      'empty user name': `Basic ${b64(`:${alice}`)}`,
      'no colon at all': `Basic ${b64(alice)}`,
      'colon and more after the token': `Basic ${b64(`alice:${alice}:x`)}`,
      'token followed by a space': `Basic ${b64(`alice:${alice} `)}`,
      'token followed by NUL': `Basic ${b64(`alice:${alice}\u0000`)}`,
      'token in full-width characters': `Basic ${b64(`alice:apitok_${alice.slice(7).replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))}`)}`,
      'base64 with a character outside the alphabet': `Basic ${full}!`,
      'base64 with padding in the middle': `Basic ${full.slice(0, 8)}=${full.slice(8)}`,
    };
    for (const [what, header] of Object.entries(tokenShaped)) {
      expect(who(await myselfWith(header)), what).to.equal('401');
    }
    expect(await failedLogins('alice'), 'failed logins of the owner').to.equal(0);
    // Not token-shaped, so passwords (docs/api.md: a token-shaped credential starts with `apitok_`):
    // refused by the login like any wrong password, never admitted.
    const passwords: Record<string, string> = {
      'token in the user name, empty password': `Basic ${b64(`${alice}:`)}`,
      'token split after its public id': `Basic ${b64(`${alice.slice(0, 20)}:${alice.slice(20)}`)}`,
      'token split inside the secret': `Basic ${b64(`${alice.slice(0, 30)}:${alice.slice(30)}`)}`,
      'token with a leading space': `Basic ${b64(`alice: ${alice}`)}`,
    };
    try {
      for (const [what, header] of Object.entries(passwords)) {
        expect(who(await myselfWith(header)), what).to.equal('401');
      }
    } finally {
      await e2e.host.runtime.loginManager.resetFailedLoginCount('alice');
    }
  });

  // ---- where a token is never read from --------------------------------------------------------

  it('should never authenticate a token sent in the query string, a cookie or another header', async () => {
    const q = encodeURIComponent(alice);
    const anonymous: Array<[string, string | null, Record<string, string>, string]> = [
      ['access_token in the query', null, {}, `${MYSELF}?access_token=${q}`],
      ['os_username/os_password in the query', null, {}, `${MYSELF}?os_username=alice&os_password=${q}`],
      ['token in the query', null, {}, `${MYSELF}?token=${q}&apiToken=${q}`],
      ['access_token cookie', null, { Cookie: `access_token=${alice}` }, MYSELF],
      ['token as the session cookie', null, { Cookie: `JSESSIONID=${alice}` }, MYSELF],
      ['X-Atlassian-Token header', null, { 'X-Atlassian-Token': alice }, MYSELF],
      ['X-API-Token header', null, { 'X-API-Token': alice }, MYSELF],
      ['Proxy-Authorization Bearer', null, { 'Proxy-Authorization': `Bearer ${alice}` }, MYSELF],
      ['another scheme', `Token ${alice}`, {}, MYSELF],
      ['no scheme', alice, {}, MYSELF],
    ];
    for (const [what, authorization, headers, path] of anonymous) {
      const res = await myselfWith(authorization, headers, path);
      expect(who(res), what).to.equal('401');
    }
    // Bearer plus access_token in the URL: two methods at once (RFC 6750 §2), refused.
    expect(who(await myselfWith(`Bearer ${alice}`, {}, `${MYSELF}?access_token=${q}`))).to.equal('401');
  });

  it('should never open a session for a token: not through /rest/auth/1/session, not through the login page', async () => {
    const session = await e2e.req('/rest/auth/1/session', { method: 'POST', body: { username: 'alice', password: alice } });
    expect(session.status).to.equal(401);
    const form = await rawRequest(e2e.host.url, '/login.jsp', {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `os_username=alice&os_password=${encodeURIComponent(alice)}&os_destination=%2F`,
    });
    expect(form.status, 'the form is shown again').to.equal(200);
    expect(form.text).to.not.include('JSESSIONID=');
    expect(await failedLogins('alice')).to.equal(0);
  });

  // ---- a token and a session in one request -----------------------------------------------------

  it('should run as the token\'s owner when a token comes with another user\'s session, and refuse a bad token rather than fall back to the session', async () => {
    const cookie = await sessionOf('alice');
    expect(who(await myselfWith(null, { Cookie: cookie })), 'the session alone').to.equal('200 as alice');
    expect(who(await myselfWith(`Bearer ${bob}`, { Cookie: cookie })), 'Bearer of bob').to.equal('200 as bob');
    expect(who(await myselfWith(`Basic ${b64(`bob:${bob}`)}`, { Cookie: cookie })), 'Basic of bob').to.equal('200 as bob');
    const refused: Record<string, string> = {
      'bob\'s token under alice\'s name': `Basic ${b64(`alice:${bob}`)}`,
      'a wrong secret': `Bearer ${formatToken(bob.slice(7, 19), 'B'.repeat(28))}`,
      'a broken checksum': `Bearer ${bob.slice(0, -1)}${bob.endsWith('0') ? '1' : '0'}`,
      'a malformed Bearer header': `Bearer\t${bob}`,
      'a Bearer password': `Bearer ${e2e.users.alice.password}`,
      'a malformed Basic header': `Basic ${b64(`:${bob}`)}`,
      'a wrong password in Basic': `Basic ${b64('alice:wrong-password')}`,
    };
    for (const [what, header] of Object.entries(refused)) {
      expect(who(await myselfWith(header, { Cookie: cookie })), what).to.equal('401');
    }
    await e2e.host.runtime.loginManager.resetFailedLoginCount('alice');
    // A token never acts through the session's websudo or XSRF exemptions: a token's write runs as its owner.
    const create = await rawRequest(e2e.host.url, `${API}/user/token`, {
      method: 'POST', headers: { Authorization: `Bearer ${bob}`, Cookie: cookie, 'Content-Type': 'application/json' },
      body: JSON.stringify({ tokenDescription: 'made with a session beside' }),
    });
    expect(create.status, create.text).to.equal(200);
    e2e.issued.push(create.json.plainTextToken);
    expect(who(await myselfWith(`Bearer ${create.json.plainTextToken}`))).to.equal('200 as bob');
  });

  // ---- the stored credential -------------------------------------------------------------------

  it('should refuse with 401, never 500 or admit, a token whose stored hash or salt is damaged', async () => {
    const table = e2e.product === 'jira' ? 'AO_5D4005_TOKEN' : 'AO_2DF51C_TOKEN';
    const damaged: Record<string, Record<string, string>> = {
      'empty hash': { HASH: '' },
      'hash one digit short': { HASH: 'a'.repeat(63) },
      'hash of non-hex characters': { HASH: 'z'.repeat(64) },
      'empty salt': { SALT: '' },
      'empty salt and hash': { SALT: '', HASH: '' },
    };
    for (const [what, values] of Object.entries(damaged)) {
      // A fresh token for each: not cached yet when its row is damaged.
      const token = (await e2e.createToken('carol', { tokenDescription: `damaged ${what}` }));
      const sets = Object.keys(values).map((c) => `"${c}" = ?`).join(', ');
      await writeRows(e2e.host.dbUrl, `UPDATE "${table}" SET ${sets} WHERE "ID" = ?`, [...Object.values(values), token.id]);
      expect(who(await myselfWith(`Bearer ${token.plainTextToken}`)), what).to.equal('401');
      expect(who(await myselfWith(`Basic ${b64(`carol:${token.plainTextToken}`)}`)), what).to.equal('401');
    }
    expect(e2e.logs.some((l) => l.includes('Token authentication failed unexpectedly'))).to.equal(false);
  });

  // ---- the owner ------------------------------------------------------------------------------

  it('should refuse the token of a deactivated owner at once on Bearer and Basic, also after it was cached', async () => {
    const users = e2e.host.runtime.users;
    await users.createUser({ name: 'erin', password: 'erin-pw-1', email: 'erin@example.com', displayName: 'Erin', groups: ['jira-software-users'] });
    const created = await e2e.req(`${API}/user/token`, { method: 'POST', auth: ['erin', 'erin-pw-1'], body: { tokenDescription: 'erin' } });
    expect(created.status).to.equal(200);
    const token = created.json.plainTextToken as string;
    e2e.issued.push(token);
    expect(who(await myselfWith(`Bearer ${token}`))).to.equal('200 as erin');
    await users.setActive('erin', false);
    expect(who(await myselfWith(`Bearer ${token}`))).to.equal('401');
    expect(who(await myselfWith(`Basic ${b64(`erin:${token}`)}`))).to.equal('401');
    await users.deleteUser('erin');
    await users.createUser({ name: 'erin', password: 'erin-pw-2', email: 'erin@example.com', displayName: 'Erin', groups: ['jira-software-users'] });
    expect(who(await myselfWith(`Bearer ${token}`)), 'a new erin').to.equal('401');
    expect(who(await myselfWith(`Basic ${b64(`erin:${token}`)}`)), 'a new erin by name').to.equal('401');
  });

  // ---- the other product ----------------------------------------------------------------------

  describe('a token of the other product', () => {
    let confluence: E2eEnv;
    before(async () => { confluence = await startE2e('confluence', kind); });
    after(() => stopAndCheckLeaks(confluence));

    it('should refuse a Jira token on Confluence and a Confluence token on Jira', async () => {
      const c = (await confluence.createToken('alice', { tokenDescription: 'confluence' })).plainTextToken;
      expect((await confluence.req('/rest/api/user/current', { bearer: c })).status).to.equal(200);
      expect((await confluence.req('/rest/api/user/current', { bearer: alice })).status).to.equal(401);
      expect((await confluence.req('/rest/api/user/current', { auth: ['alice', alice] })).status).to.equal(401);
      expect(who(await myselfWith(`Bearer ${c}`))).to.equal('401');
      expect(who(await myselfWith(`Basic ${b64(`alice:${c}`)}`))).to.equal('401');
    });
  });
});
