import type { Clock, HostUser, LicenseManager, UserManager } from '../../host-sim/spi';
import type { TokenCredential } from '../ao/Token';
import { parseToken } from '../token/TokenFormat';
import { secretMatches } from '../token/SecretHasher';
import type { PermissionService } from './PermissionService';
import type { TokenCache } from './TokenCache';

/** Why a presented token was refused (closed union; logged and audited, never sent to the client). */
export type AuthFailureReason =
  | 'BAD_CHECKSUM'
  | 'UNKNOWN_TOKEN'
  | 'WRONG_SECRET'
  | 'EXPIRED'
  | 'USER_NOT_FOUND'
  | 'USER_INACTIVE'
  | 'USER_MISMATCH'
  | 'NO_OWNER'
  | 'UNLICENSED'
  | 'TOKENS_NOT_ALLOWED';

export type AuthResult =
  | { readonly ok: true; readonly credential: TokenCredential; readonly user: HostUser }
  | { readonly ok: false; readonly reason: AuthFailureReason; readonly credential?: TokenCredential; readonly user?: HostUser };

/** Reasons that are a wrong credential (they count on the user's failed-login counter and the IP throttle). */
export const CREDENTIAL_FAILURES: ReadonlySet<AuthFailureReason> = new Set<AuthFailureReason>([
  'BAD_CHECKSUM', 'UNKNOWN_TOKEN', 'WRONG_SECRET', 'EXPIRED', 'USER_MISMATCH', 'NO_OWNER',
]);

/**
 * Verifies a presented token: checksum (no database) → credential by public id (cache, else
 * one indexed read) → constant-time hash compare → expiry against the clock → owner exists and
 * is active (and, for Basic, is the named user) → licence → `tokenUserGroups`.
 */
export class TokenAuthenticator {
  constructor(
    private readonly cache: TokenCache,
    private readonly users: UserManager,
    private readonly licence: LicenseManager,
    private readonly permissions: PermissionService,
    private readonly clock: Clock,
  ) {}

  /**
   * @param presented the token as sent
   * @param claimedUser for Basic auth the user name (or e-mail address) sent with it; null for Bearer
   */
  async authenticate(presented: string, claimedUser: string | null): Promise<AuthResult> {
    const parsed = parseToken(presented);
    if (parsed.kind === 'not-a-token') return { ok: false, reason: 'UNKNOWN_TOKEN' };
    if (parsed.kind === 'bad-checksum') return { ok: false, reason: 'BAD_CHECKSUM' };
    if (!this.licence.isLicensed()) return { ok: false, reason: 'UNLICENSED' };
    const credential = this.cache.peek(parsed.token.publicId) ?? await this.cache.lookup(parsed.token.publicId);
    if (!credential) return { ok: false, reason: 'UNKNOWN_TOKEN' };
    if (!secretMatches(credential.salt, credential.hash, parsed.token.publicId, parsed.token.secret)) {
      return { ok: false, reason: 'WRONG_SECRET', credential };
    }
    if (credential.validUntil <= this.clock.now()) return { ok: false, reason: 'EXPIRED', credential };
    const owner = await this.resolveUser(credential, claimedUser);
    if (!owner.ok) return { ok: false, reason: owner.reason, credential, user: owner.user };
    const user = owner.user;
    if (!user.active) return { ok: false, reason: 'USER_INACTIVE', credential, user };
    if (!(await this.permissions.mayUseTokens(user.key))) return { ok: false, reason: 'TOKENS_NOT_ALLOWED', credential, user };
    return { ok: true, credential, user };
  }

  private async resolveUser(credential: TokenCredential, claimedUser: string | null)
    : Promise<{ ok: true; user: HostUser } | { ok: false; reason: AuthFailureReason; user?: HostUser }> {
    if (credential.userKey === null) {
      // A user-less token acts as the user named in Basic auth, never with Bearer (SPEC §6.3).
      if (claimedUser === null) return { ok: false, reason: 'NO_OWNER' };
      const named = await this.users.getUserByName(claimedUser);
      return named ? { ok: true, user: named } : { ok: false, reason: 'USER_NOT_FOUND' };
    }
    const owner = await this.users.getUserByKey(credential.userKey);
    if (!owner) return { ok: false, reason: 'USER_NOT_FOUND' };
    if (claimedUser !== null && !sameUser(owner, claimedUser)) return { ok: false, reason: 'USER_MISMATCH', user: owner };
    return { ok: true, user: owner };
  }
}

function sameUser(user: HostUser, claimed: string): boolean {
  const c = claimed.toLowerCase();
  return user.name.toLowerCase() === c || (user.email !== '' && user.email.toLowerCase() === c);
}
