// Attack review 2026-12-02: a user-less token is a system admin's power over every user's
// account. Like a sudo token it works only while the system admin who created it still exists,
// is active and is a system admin; a token without a recorded creator is refused (deny by default).
import { expect } from 'chai';
import type { HostUser, UserManager } from '../../../host-sim/spi';
import { TokenCredential } from '../../../plugin/ao/Token';
import { SecretHolderCheck } from '../../../plugin/service/auth/SecretHolderCheck';

function user(key: string, name: string, active = true): HostUser {
  return { key, name, displayName: name, email: `${name}@example.com`, active, locale: 'en_US', timeZone: 'UTC' };
}

const ROOT = user('root', 'root');
const SLEEPING_ROOT = user('sleeper', 'sleeper', false);
const DEMOTED = user('JIRAUSER10150', 'demoted');
const ALICE = user('JIRAUSER10100', 'alice');
const USERS = [ROOT, SLEEPING_ROOT, DEMOTED, ALICE];
const SYSADMINS = new Set([ROOT.key, SLEEPING_ROOT.key]);

const users = {
  getUserByName: async (name: string) => USERS.find((u) => u.name === name) ?? null,
  getUserByKey: async (key: string) => USERS.find((u) => u.key === key) ?? null,
  isSystemAdmin: async (key: string) => SYSADMINS.has(key),
} as unknown as UserManager;

function userless(createdBy: string): TokenCredential {
  return new TokenCredential(7, 'pub', null, 'shared', Number.MAX_SAFE_INTEGER, 1, '{"rules":[]}', 1, '00', '00', false, 'asp_x', null, createdBy);
}

describe('red team: a user-less token lives only as long as its creator is a system admin', () => {
  // The user-less rule asks the user manager only; ranks are the on-behalf rule's.
  const holders = new SecretHolderCheck(users, { rankOf: async () => 0, mayManageOthers: async () => true });

  it('should let a user-less token act while its creator is an active system admin', async () => {
    expect(await holders.refusal(userless(ROOT.key), ALICE)).to.equal(null);
  });

  it('should refuse with 401 when the creator is demoted, deactivated, deleted or unknown', async () => {
    for (const createdBy of [DEMOTED.key, SLEEPING_ROOT.key, 'JIRAUSER19999', '']) {
      const refusal = await holders.refusal(userless(createdBy), ALICE);
      expect(refusal?.reason, createdBy).to.equal('USERLESS_CREATOR_NOT_SYSADMIN');
      expect(refusal?.code, createdBy).to.equal('TOKEN_AUTH_FAILED');
      expect(refusal?.challenge, createdBy).to.equal('basic');
    }
  });
});
