// Attack review 2026-12-02 (identity confusion): can a token act for, or a failed attempt lock
// out, a user other than its own through the spelling of a user name — case, spaces, fullwidth
// letters, Unicode normalisation — through a name that is another user's key (sudo run-as), or
// through a user deleted and created again under the same name?
import { expect } from 'chai';
import { forEachDatabase } from '../../support/databases';
import { API, startE2e, stopAndCheckLeaks, type E2eEnv } from './support/e2eHost';

const RUN_AS = 'X-Atlassian-Run-As';
/** Spellings of `alice` that are not her name: spaces, fullwidth letters, a NUL, a zero-width space. */
const NOT_ALICE = ['alice ', ' alice', '\uff41\uff4c\uff49\uff43\uff45', 'alice\u0000', 'ali\u200bce'];

forEachDatabase('red team: identity by user-name spelling', (kind) => {
  let e2e: E2eEnv;

  const myself = (token: string, claimed: string) => e2e.req('/rest/api/2/myself', { auth: [claimed, token] });
  const failedCount = async (name: string) => (await e2e.host.runtime.loginManager.getLoginInfo(name)).currentFailedLoginCount;

  before(async () => {
    e2e = await startE2e('jira', kind);
  });
  after(() => stopAndCheckLeaks(e2e));

  it('should admit Basic auth under the owner name in any letter case, and under no other spelling, without counting failures', async () => {
    const { plainTextToken } = await e2e.createToken('alice');
    for (const claimed of ['alice', 'ALICE', 'Alice', 'alice@example.com', 'ALICE@EXAMPLE.COM']) {
      const res = await myself(plainTextToken, claimed);
      expect(res.status, claimed).to.equal(200);
      expect(res.json.name, claimed).to.equal('alice');
    }
    for (const claimed of [...NOT_ALICE, 'bob', 'alice@example.com ']) {
      expect((await myself(plainTextToken, claimed)).status, JSON.stringify(claimed)).to.equal(401);
    }
    expect(await failedCount('alice')).to.equal(0);
    expect(await failedCount('bob')).to.equal(0);
  });

  it('should tell apart users whose names differ only in Unicode normalisation', async () => {
    const nfc = 'jos\u00e9';
    const nfd = 'jose\u0301';
    await e2e.host.runtime.users.createUser({ name: nfc, password: 'jose-pw-1', email: 'jose-nfc@example.com', displayName: 'José NFC', groups: ['jira-software-users'] });
    await e2e.host.runtime.users.createUser({ name: nfd, password: 'jose-pw-2', email: 'jose-nfd@example.com', displayName: 'José NFD', groups: ['jira-software-users'] });
    const res = await e2e.req(`${API}/user/token`, { method: 'POST', auth: [nfc, 'jose-pw-1'], body: { tokenDescription: 'nfc' } });
    expect(res.status, res.text).to.equal(200);
    e2e.issued.push(res.json.plainTextToken);
    const own = await myself(res.json.plainTextToken, nfc);
    expect(own.status).to.equal(200);
    expect(own.json.name).to.equal(nfc);
    expect((await myself(res.json.plainTextToken, nfd)).status).to.equal(401);
    expect(await failedCount(nfd)).to.equal(0);
  });

  it('should let a user-less token act only as the user its Basic name spells, never a look-alike', async () => {
    const { plainTextToken } = await e2e.createToken('admin', { userless: true, restrictions: '[GET].*/rest/api/2/myself' });
    const upper = await myself(plainTextToken, 'ALICE');
    expect(upper.status).to.equal(200);
    expect(upper.json.name).to.equal('alice');
    for (const claimed of NOT_ALICE) {
      expect((await myself(plainTextToken, claimed)).status, JSON.stringify(claimed)).to.equal(401);
    }
    expect(await failedCount('alice')).to.equal(0);
  });

  it('should not let a user deleted and created again under the same name inherit the old tokens', async () => {
    const users = e2e.host.runtime.users;
    await users.createUser({ name: 'dora', password: 'dora-pw-1', email: 'dora@example.com', displayName: 'Dora', groups: ['jira-software-users'] });
    const created = await e2e.req(`${API}/user/token`, { method: 'POST', auth: ['dora', 'dora-pw-1'], body: { tokenDescription: 'old dora' } });
    expect(created.status).to.equal(200);
    const old = created.json.plainTextToken as string;
    e2e.issued.push(old);
    expect((await myself(old, 'dora')).status).to.equal(200);
    const oldKey = (await users.getStoredUser('dora'))!.key;
    await users.deleteUser('dora');
    const again = await users.createUser({ name: 'dora', password: 'dora-pw-2', email: 'dora@example.com', displayName: 'Dora', groups: ['jira-software-users'] });
    expect(again.key).to.not.equal(oldKey);
    expect((await myself(old, 'dora')).status).to.equal(401);
    expect((await e2e.req('/rest/api/2/myself', { bearer: old })).status).to.equal(401);
    const list = await e2e.req(`${API}/user/token`, { auth: ['dora', 'dora-pw-2'] });
    expect(list.status).to.equal(200);
    expect(list.json).to.deep.equal([]);
    const byFilter = await e2e.as('admin', `${API}/user/tokensByFilter?notValidAfter=-1&userFilter=${encodeURIComponent(again.key)}`);
    expect(byFilter.json.total).to.equal(0);
  });

  describe('sudo run-as', () => {
    let sudo: string;

    before(async () => {
      expect((await e2e.as('admin', `${API}/admin/settings`, { method: 'PUT', body: { sudoTokensAllowed: true } })).status).to.equal(200);
      sudo = (await e2e.createToken('admin', { tokenDescription: 'sudo', sudo: true })).plainTextToken;
    });

    const runAs = (target: string) => e2e.req('/rest/api/2/myself', { bearer: sudo, headers: { [RUN_AS]: target } });

    it('should refuse a run-as value that is one user\'s name and another user\'s key', async () => {
      // A user who may choose a name takes another user's key as name: a script that runs as
      // that key (the id that survives renames) must not silently act as the impostor.
      await e2e.host.runtime.users.createUser({ name: e2e.users.alice.key, password: 'imp-pw-1', email: 'imp@example.com', displayName: 'Alice Example', groups: ['jira-software-users'] });
      const res = await runAs(e2e.users.alice.key);
      expect(res.status, `${res.status} as ${res.json?.name}`).to.equal(403);
      expect(res.json.errorMessage).to.be.a('string');
      expect(e2e.logs.some((l) => l.includes('API token refused') && l.includes('SUDO_TARGET_AMBIGUOUS'))).to.equal(true);
      // Unambiguous values still work: alice by name, the impostor by its own key.
      expect((await runAs('alice')).json.name).to.equal('alice');
      const impostorKey = (await e2e.host.runtime.users.getStoredUser(e2e.users.alice.key))!.key;
      expect((await runAs(impostorKey)).json.name).to.equal(e2e.users.alice.key);
    });

    it('should run as the same user for any letter case of the name, and as nobody for a look-alike', async () => {
      expect((await runAs('BOB')).json.name).to.equal('bob');
      // Sent as UTF-8 bytes (a header carries bytes; Node reads them as Latin-1).
      for (const target of ['\uff42\uff4f\uff42', 'b\u200bob', 'bo\u0431']) {
        expect((await runAs(Buffer.from(target).toString('latin1'))).status, JSON.stringify(target)).to.equal(403);
      }
    });
  });
});
