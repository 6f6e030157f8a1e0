// Identity review 2026-12-05: a user name travels as bytes, and the same bytes can spell two
// names. A header value reaches the server as Latin-1 text (Node, like Tomcat), so the UTF-8 bytes
// of `josé` that curl sends read as `josÃ©`; a Basic header is UTF-8, so the Latin-1 byte of `é`
// that Python's requests sends could only be read as the replacement character, and `josé`,
// `josè` and `josë` all became `jos\ufffd`. Whoever may create users (a product admin) named an
// account after the other reading and received sudo requests or a user-less token's requests
// meant for someone else, or signed in as `josè` with that account's password.
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const RUN_AS = 'X-Atlassian-Run-As';
const JOSE = 'jos\u00e9';
/** The name the UTF-8 bytes of `josé` spell when read as Latin-1. */
const JOSE_AS_LATIN1 = 'jos\u00c3\u00a9';
/** The name `josé` sent as Latin-1 read as if it were UTF-8. */
const JOSE_REPLACED = 'jos\ufffd';

forEachDatabase('user names sent as bytes that read two ways', (kind) => {
  let e2e: E2eEnv;
  let sudo: string;
  before(async () => {
    e2e = await startE2e('jira', kind);
    const users = e2e.host.runtime.users;
    for (const [name, password] of [[JOSE, 'jose-pw-1'], [JOSE_AS_LATIN1, 'imp-pw-1'], [JOSE_REPLACED, 'imp-pw-2'], ['j\u00fcrgen', 'jurgen-pw-1']]) {
      await users.createUser({ name, password, email: `${Buffer.from(name).toString('hex')}@example.com`, displayName: 'José', groups: ['jira-software-users'] });
    }
    expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: true } })).status).to.equal(200);
    sudo = (await e2e.createToken('admin', { tokenDescription: 'sudo', sudo: true })).plainTextToken;
  });
  after(() => stopAndCheckLeaks(e2e));

  const myself = (headers: Record<string, string>) => e2e.req('/rest/api/2/myself', { headers });
  const runAs = (value: string) => myself({ Authorization: `Bearer ${sudo}`, [RUN_AS]: value });
  const basic = (name: string, secret: string, encoding: BufferEncoding) => `Basic ${Buffer.from(`${name}:${secret}`, encoding).toString('base64')}`;

  it('should run as nobody when a run-as value names one user in UTF-8 and another in Latin-1', async () => {
    // curl, with a UTF-8 terminal: the bytes C3 A9.
    const utf8 = await runAs(Buffer.from(JOSE, 'utf8').toString('latin1'));
    expect(utf8.status, `${utf8.status} as ${utf8.json?.name}`).to.equal(403);
    expect(utf8.json.errorMessage).to.be.a('string');
    expect(e2e.logs.some((l) => l.includes('API token refused') && l.includes('SUDO_TARGET_AMBIGUOUS'))).to.equal(true);
    // fetch or Python's requests: the byte E9, which only Latin-1 reads.
    const latin1 = await runAs(JOSE);
    expect(latin1.status).to.equal(200);
    expect(latin1.json.name).to.equal(JOSE);
    // The account the other reading names is still reached by its key.
    const impostor = (await e2e.host.runtime.users.getStoredUser(JOSE_AS_LATIN1))!;
    expect((await runAs(impostor.key)).json.name).to.equal(JOSE_AS_LATIN1);
  });

  it('should run as the one user either reading names when only one does', async () => {
    for (const value of [Buffer.from('j\u00fcrgen', 'utf8').toString('latin1'), 'j\u00fcrgen', 'J\u00dcRGEN']) {
      const res = await runAs(value);
      expect(res.status, JSON.stringify(value)).to.equal(200);
      expect(res.json.name).to.equal('j\u00fcrgen');
    }
  });

  it('should refuse a Basic header whose user name is not UTF-8, never reading it as the replacement character', async () => {
    const userless = (await e2e.createToken('admin', { userless: true, restrictions: '[GET].*/rest/api/2/myself' })).plainTextToken;
    // UTF-8 (as curl and browsers send it): José.
    const own = await myself({ Authorization: basic(JOSE, userless, 'utf8') });
    expect(own.status).to.equal(200);
    expect(own.json.name).to.equal(JOSE);
    // Latin-1 (Python's requests): neither José nor the account named with the replacement character.
    for (const name of [JOSE, 'jos\u00e8', 'jos\u00eb']) {
      const res = await myself({ Authorization: basic(name, userless, 'latin1') });
      expect(res.status, `${name}: ${res.status} as ${res.json?.name}`).to.equal(401);
    }
    // Nor with a password: `josè` in Latin-1 with the password of the replacement-character account.
    const password = await myself({ Authorization: basic('jos\u00e8', 'imp-pw-2', 'latin1') });
    expect(password.status, `${password.status} as ${password.json?.name}`).to.equal(401);
    expect((await myself({ Authorization: basic(JOSE_REPLACED, 'imp-pw-2', 'utf8') })).status, 'its own name in UTF-8').to.equal(200);
  });
});
