// Attack review 2026-12-02: `X-Atlassian-Run-As` takes a user name or a user key. A value that is
// one user's name and another user's key is refused (never resolved to whichever lookup comes
// first); a value that is name and key of the same user (Jira's legacy keys) still resolves.
import { expect } from 'chai';
import type { HostUser, UserManager } from '../../../host-sim/spi';
import { TokenCredential } from '../../../plugin/ao/Token';
import { SudoResolver } from '../../../plugin/service/auth/SudoResolver';
import { DEFAULT_SETTINGS } from '../../../plugin/service/Settings';

function user(key: string, name: string): HostUser {
  return { key, name, displayName: name, email: `${name}@example.com`, active: true, locale: 'en_US', timeZone: 'UTC' };
}

const ROOT = user('root', 'root');
const ALICE = user('JIRAUSER10100', 'alice');
/** A user whose name is alice's key. */
const IMPOSTOR = user('JIRAUSER10199', 'JIRAUSER10100');
/** A legacy user whose key is their (lower-case) name. */
const LEGACY = user('bob', 'bob');
const JOSE = user('JIRAUSER10200', 'jos\u00e9');
/** A user named as the UTF-8 bytes of `josé` read as Latin-1. */
const JOSE_BYTES = user('JIRAUSER10201', 'jos\u00c3\u00a9');
const JURGEN = user('JIRAUSER10202', 'j\u00fcrgen');
const USERS = [ROOT, ALICE, IMPOSTOR, LEGACY, JOSE, JOSE_BYTES, JURGEN];
/** A header value as Node hands it over: the bytes of the UTF-8 text, one Latin-1 character each. */
const sentAsUtf8 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

const users = {
  getUserByName: async (name: string) => USERS.find((u) => u.name.toLowerCase() === name.toLowerCase()) ?? null,
  getUserByKey: async (key: string) => USERS.find((u) => u.key === key) ?? null,
  isSystemAdmin: async (key: string) => key === ROOT.key,
} as unknown as UserManager;

const SUDO = new TokenCredential(1, 'pub', ROOT.key, 'sudo', Number.MAX_SAFE_INTEGER, 2, null, 1, '00', '00', true);
const SETTINGS = { ...DEFAULT_SETTINGS, sudoTokensAllowed: true };

describe('red team: sudo run-as target by name or key', () => {
  const resolver = new SudoResolver(users, { reserve: () => true });
  const resolve = (runAs: string) => resolver.resolve(runAs, SUDO, ROOT, '/rest/api/2/myself', SETTINGS);

  it('should refuse a value that is one user\'s name and another user\'s key', async () => {
    const outcome = await resolve(ALICE.key);
    expect(outcome.ok).to.equal(false);
    if (outcome.ok) return;
    expect(outcome.refusal.reason).to.equal('SUDO_TARGET_AMBIGUOUS');
    expect(outcome.refusal.code).to.equal('SUDO_TARGET_FORBIDDEN');
  });

  it('should refuse a value whose bytes name one user in UTF-8 and another in Latin-1', async () => {
    const outcome = await resolve(sentAsUtf8(JOSE.name));
    expect(outcome.ok).to.equal(false);
    if (!outcome.ok) expect(outcome.refusal.reason).to.equal('SUDO_TARGET_AMBIGUOUS');
  });

  it('should resolve a name outside ASCII sent as UTF-8 or as Latin-1', async () => {
    for (const [runAs, expected] of [[sentAsUtf8(JURGEN.name), JURGEN], [JURGEN.name, JURGEN], [JOSE.name, JOSE], [JOSE_BYTES.key, JOSE_BYTES]] as const) {
      const outcome = await resolve(runAs);
      expect(outcome.ok, runAs).to.equal(true);
      if (outcome.ok) expect(outcome.user.key, runAs).to.equal(expected.key);
    }
  });

  it('should resolve a name, a key, and a value that is name and key of the same user', async () => {
    for (const [runAs, expected] of [['alice', ALICE], [IMPOSTOR.key, IMPOSTOR], ['bob', LEGACY], ['BOB', LEGACY]] as const) {
      const outcome = await resolve(runAs);
      expect(outcome.ok, runAs).to.equal(true);
      if (outcome.ok) expect(outcome.user.key, runAs).to.equal(expected.key);
    }
  });
});

describe('SudoResolver and the audit queue', () => {
  it('should refuse a run-as request without a place for its event in the audit queue (503), and let it through once there is one', () => {
    let room = false;
    const resolver = new SudoResolver(users, { reserve: () => room });
    const full = resolver.takeAuditPlace(SUDO, ROOT);
    expect(full?.reason).to.equal('SUDO_AUDIT_FULL');
    expect(full?.code).to.equal('DATABASE_UNAVAILABLE');
    room = true;
    expect(resolver.takeAuditPlace(SUDO, ROOT)).to.equal(null);
  });
});
