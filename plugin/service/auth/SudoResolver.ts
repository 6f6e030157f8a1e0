import { strictUtf8, type HostUser, type UserManager } from '../../../host-sim/spi';
import type { TokenCredential } from '../../ao/Token';
import type { Settings } from '../Settings';
import { refuse, type RefuseVerdict } from './AuthVerdict';

/** The header a sudo token names the user to run as with (user name or user key). */
export const RUN_AS_HEADER = 'x-atlassian-run-as';

/** Paths a sudo request may never reach, whoever it runs as: the token APIs and the settings. */
const TOKEN_API = /^\/rest\/(de\.resolution\.apitokenauth|api-tokens)(\/|$)/i;

/**
 * What a run-as value may spell: a header reaches the server as Latin-1 text (one character per
 * byte), while most clients (curl, scripts) send a name outside ASCII as UTF-8 bytes, and fetch or
 * Python's requests as Latin-1. Bytes that are valid UTF-8 are read both ways.
 */
function readings(runAs: string): string[] {
  if (!/[^\x00-\x7f]/.test(runAs) || /[^\x00-\xff]/.test(runAs)) return [runAs];
  const utf8 = strictUtf8(Buffer.from(runAs, 'latin1'));
  return utf8 === null ? [runAs] : [runAs, utf8];
}

/** The user a sudo request runs as, or why it may not. */
export type SudoOutcome = { readonly ok: true; readonly user: HostUser } | { readonly ok: false; readonly refusal: RefuseVerdict };

/**
 * Admin "sudo" tokens (GitLab's `Sudo` header, Extender's "run REST API as another user"): a
 * system admin's unrestricted token with the sudo flag, sent with `X-Atlassian-Run-As: <user>`,
 * runs the request as that user. Never as a system admin, never with a restricted token, never
 * on the token APIs or settings, never while `sudoTokensAllowed` is off, and only while the
 * token's owner is still a system admin. Every check here is made per request.
 */
export class SudoResolver {
  constructor(
    private readonly users: UserManager,
    /** Every sudo request is audited: one is let through only with a place for its event in the audit queue. */
    private readonly audit: { reserve(): boolean },
  ) {}

  /** Null: no run-as header, the request runs as the owner. */
  requested(headers: Readonly<Record<string, string | string[] | undefined>>): string | null {
    const value = headers[RUN_AS_HEADER];
    if (value === undefined) return null;
    return (Array.isArray(value) ? value.join(',') : value).trim();
  }

  async resolve(runAs: string, credential: TokenCredential, owner: HostUser, path: string, settings: Settings): Promise<SudoOutcome> {
    const who = { tokenId: credential.tokenId, userName: owner.name };
    const no = (reason: RefuseVerdict['reason'], code: RefuseVerdict['code']): SudoOutcome => ({ ok: false, refusal: refuse(reason, code, who, { user: owner }) });
    if (!credential.sudo) return no('SUDO_NOT_SUDO_TOKEN', 'SUDO_NOT_ALLOWED');
    if (!settings.sudoTokensAllowed) return no('SUDO_DISABLED', 'SUDO_TOKENS_DISABLED');
    if (credential.restrictions !== null) return no('SUDO_RESTRICTED_TOKEN', 'SUDO_NOT_ALLOWED');
    if (TOKEN_API.test(path)) return no('SUDO_ON_TOKEN_API', 'SUDO_NOT_ALLOWED');
    if (credential.userKey === null || !(await this.users.isSystemAdmin(owner.key))) return no('SUDO_OWNER_NOT_SYSADMIN', 'SUDO_NOT_ALLOWED');
    if (runAs === '') return no('SUDO_TARGET_UNKNOWN', 'SUDO_TARGET_FORBIDDEN');
    // Every lookup, always: a value that is one user's name and another user's key (a name
    // chosen to be someone's key), or whose bytes spell one user's name in Latin-1 and another's
    // in UTF-8, is refused, never resolved to whichever lookup comes first.
    const found = await Promise.all(readings(runAs).flatMap((value) => [this.users.getUserByName(value), this.users.getUserByKey(value)]));
    const targets = new Map(found.filter((u): u is HostUser => u !== null).map((u) => [u.key, u]));
    if (targets.size > 1) return no('SUDO_TARGET_AMBIGUOUS', 'SUDO_TARGET_FORBIDDEN');
    const target = targets.values().next().value;
    if (!target) return no('SUDO_TARGET_UNKNOWN', 'SUDO_TARGET_FORBIDDEN');
    if (!target.active) return no('SUDO_TARGET_INACTIVE', 'SUDO_TARGET_FORBIDDEN');
    if (await this.users.isSystemAdmin(target.key)) return no('SUDO_TARGET_SYSADMIN', 'SUDO_TARGET_FORBIDDEN');
    return { ok: true, user: target };
  }

  /**
   * The very last step of letting a sudo request through, once nothing else can refuse it: a place
   * in the audit queue's reserve for its event, held until the event is written (null: taken). No
   * place left (the audit log cannot keep up or is unreachable): 503, as for a database down.
   */
  takeAuditPlace(credential: TokenCredential, owner: HostUser): RefuseVerdict | null {
    if (this.audit.reserve()) return null;
    return refuse('SUDO_AUDIT_FULL', 'DATABASE_UNAVAILABLE', { tokenId: credential.tokenId, userName: owner.name }, { user: owner });
  }

}
