import type { Clock, HostUser, LicenseManager, UserManager } from '../../host-sim/spi';
import type { TokenCredential } from '../ao/Token';
import { parseToken, type ParsedToken } from '../token/TokenFormat';
import { andThen, type MaybePromise } from './MaybePromise';
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
  | 'TOKENS_NOT_ALLOWED'
  /** The row holds a limit this version cannot read (another version's scope): never read wider. */
  | 'UNREADABLE_ROW';

export type AuthResult =
  | { readonly ok: true; readonly credential: TokenCredential; readonly user: HostUser }
  | { readonly ok: false; readonly reason: AuthFailureReason; readonly credential?: TokenCredential; readonly user?: HostUser };

/** Reasons that are a wrong credential (they count on the user's failed-login counter and the IP throttle). */
export const CREDENTIAL_FAILURES: ReadonlySet<AuthFailureReason> = new Set<AuthFailureReason>([
  'BAD_CHECKSUM', 'UNKNOWN_TOKEN', 'WRONG_SECRET', 'EXPIRED', 'USER_MISMATCH', 'NO_OWNER',
]);

type OwnerResult = { readonly ok: true; readonly user: HostUser } | { readonly ok: false; readonly reason: AuthFailureReason; readonly user?: HostUser };

const NOT_A_TOKEN: AuthResult = Object.freeze({ ok: false, reason: 'UNKNOWN_TOKEN' });
const BAD_CHECKSUM: AuthResult = Object.freeze({ ok: false, reason: 'BAD_CHECKSUM' });
const UNLICENSED: AuthResult = Object.freeze({ ok: false, reason: 'UNLICENSED' });

/**
 * Verifies a presented token: checksum (no database) → credential by public id (cache, else
 * one indexed read; a public id without a row is remembered, so a repeated unknown token reads
 * once) → constant-time hash compare → expiry against the clock → owner exists and
 * is active (and, for Basic, is the named user) → licence → `tokenUserGroups`.
 *
 * Synchronous while the credential, the owner and the settings are cached on this node (the
 * steady state of an automation client); a promise only when one of them must be read.
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
  authenticate(presented: string, claimedUser: string | null): MaybePromise<AuthResult> {
    const parsed = parseToken(presented);
    if (parsed.kind === 'not-a-token') return NOT_A_TOKEN;
    if (parsed.kind === 'bad-checksum') return BAD_CHECKSUM;
    if (!this.licence.isLicensed()) return UNLICENSED;
    const token = parsed.token;
    const cached = this.cache.peek(token.publicId);
    if (cached) return this.verify(token, cached, claimedUser);
    // Well-formed, but already looked up without a row: no database read per repeat.
    if (this.cache.isKnownUnknown(token.publicId)) return NOT_A_TOKEN;
    return this.cache.lookup(token.publicId)
      .then((credential) => (credential ? this.verify(token, credential, claimedUser) : NOT_A_TOKEN));
  }

  private verify(token: ParsedToken, credential: TokenCredential, claimedUser: string | null): MaybePromise<AuthResult> {
    if (!secretMatches(credential.saltHex, credential.hashHex, token.publicId, token.secret)) {
      return { ok: false, reason: 'WRONG_SECRET', credential };
    }
    if (credential.unreadable) return { ok: false, reason: 'UNREADABLE_ROW', credential };
    if (credential.validUntil <= this.clock.now()) return { ok: false, reason: 'EXPIRED', credential };
    return andThen(this.resolveUser(credential, claimedUser), (owner): MaybePromise<AuthResult> => {
      if (!owner.ok) return { ok: false, reason: owner.reason, credential, user: owner.user };
      const user = owner.user;
      if (!user.active) return { ok: false, reason: 'USER_INACTIVE', credential, user };
      return andThen(this.permissions.peekMayUseTokens(user.key) ?? this.permissions.mayUseTokens(user.key),
        (may): AuthResult => (may ? { ok: true, credential, user } : { ok: false, reason: 'TOKENS_NOT_ALLOWED', credential, user }));
    });
  }

  private resolveUser(credential: TokenCredential, claimedUser: string | null): MaybePromise<OwnerResult> {
    if (credential.userKey === null) {
      // A user-less token acts as the user named in Basic auth, never with Bearer (docs/restrictions.md).
      if (claimedUser === null) return { ok: false, reason: 'NO_OWNER' };
      return this.users.getUserByName(claimedUser)
        .then((named): OwnerResult => (named ? { ok: true, user: named } : { ok: false, reason: 'USER_NOT_FOUND' }));
    }
    const cached = this.users.peekUserByKey(credential.userKey);
    if (cached !== undefined) return checkOwner(cached, claimedUser);
    return this.users.getUserByKey(credential.userKey).then((owner) => checkOwner(owner, claimedUser));
  }
}

function checkOwner(owner: HostUser | null, claimedUser: string | null): OwnerResult {
  if (!owner) return { ok: false, reason: 'USER_NOT_FOUND' };
  if (claimedUser !== null && !sameUser(owner, claimedUser)) return { ok: false, reason: 'USER_MISMATCH', user: owner };
  return { ok: true, user: owner };
}

function sameUser(user: HostUser, claimed: string): boolean {
  const c = claimed.toLowerCase();
  return user.name.toLowerCase() === c || (user.email !== '' && user.email.toLowerCase() === c);
}
