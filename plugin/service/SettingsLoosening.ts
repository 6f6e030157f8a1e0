import { unreadableLists, type AuditTokenUse, type AuthSchemes, type Settings, type SettingKey } from './Settings';

/** How much each level of the token-use audit records. */
const AUDIT_RANK: Readonly<Record<AuditTokenUse, number>> = { off: 0, sampled: 1, all: 2 };
const SCHEMES: Readonly<Record<AuthSchemes, readonly string[]>> = { basic: ['basic'], bearer: ['bearer'], both: ['basic', 'bearer'] };

/** Whether `next` holds an entry `current` does not (names compared exactly: a respelt one counts as new). */
function gained(next: readonly string[], current: readonly string[]): boolean {
  return next.some((entry) => !current.includes(entry));
}

/** An allow-list where empty means "everyone": widened when emptied or when it gains an entry. */
function listWidened(next: readonly string[], current: readonly string[]): boolean {
  return current.length > 0 && (next.length === 0 || gained(next, current));
}

/**
 * The settings a change from `current` to `next` relaxes: more or longer-lived tokens, more ways
 * in, more people with power, fewer of the controls that let an owner or an admin notice a thief
 * (new-IP mails, the token-use audit), sudo tokens switched on. Through a token only the other
 * direction is allowed (docs/api.md "Settings"): a stolen token must not leave behind settings
 * that outlive its revocation. Quota, expiry warnings and pruning are housekeeping, not counted.
 */
export function loosenedSettings(current: Settings, next: Settings): SettingKey[] {
  const loosened: SettingKey[] = [];
  const check = (key: SettingKey, loosens: boolean): void => { if (loosens) loosened.push(key); };
  check('maxValidityMonths', next.maxValidityMonths > current.maxValidityMonths);
  check('defaultValidityMonths', next.defaultValidityMonths > current.defaultValidityMonths);
  check('passwordBasicAuthAllowed', next.passwordBasicAuthAllowed && !current.passwordBasicAuthAllowed);
  check('authSchemes', gained(SCHEMES[next.authSchemes], SCHEMES[current.authSchemes]));
  check('createOnBehalfGroups', gained(next.createOnBehalfGroups, current.createOnBehalfGroups));
  check('tokenUserGroups', listWidened(next.tokenUserGroups, current.tokenUserGroups));
  check('readOnlyOnlyGroups', gained(current.readOnlyOnlyGroups, next.readOnlyOnlyGroups));
  check('ipAllowlist', listWidened(next.ipAllowlist, current.ipAllowlist));
  check('notifyOnNewIp', current.notifyOnNewIp && !next.notifyOnNewIp);
  check('revokeUnusedAfterDays', current.revokeUnusedAfterDays > 0
    && (next.revokeUnusedAfterDays === 0 || next.revokeUnusedAfterDays > current.revokeUnusedAfterDays));
  check('auditTokenUse', AUDIT_RANK[next.auditTokenUse] < AUDIT_RANK[current.auditTokenUse]);
  check('sudoTokensAllowed', next.sudoTokensAllowed && !current.sudoTokensAllowed);
  // An unreadable list refuses everything: whatever replaces it admits more.
  for (const key of unreadableLists(current)) {
    if (!loosened.includes(key) && JSON.stringify(next[key]) !== JSON.stringify(current[key])) loosened.push(key);
  }
  return loosened;
}
