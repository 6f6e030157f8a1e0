import type { AuthenticatedPrincipal, HostUser } from '../../../host-sim/spi';
import type { TokenCredential } from '../../ao/Token';
import type { ErrorCode } from '../../errors/ErrorCode';
import type { RestrictionRefusal } from '../../restrictions/RestrictionSupport';
import type { AuthFailureReason } from '../TokenAuthenticator';
import type { TargetRefusal } from './RequestTarget';

/** What narrows a refusal's reason down (which part of the target, which restriction). */
export type RefusalDetail = TargetRefusal | RestrictionRefusal;

/**
 * Every reason a token request is refused, as logged and audited (never sent to the client,
 * which sees one generic message per status). Closed: a new check needs a new member.
 */
export type RefusalReason =
  | AuthFailureReason
  | 'MALFORMED'
  | 'SCHEME_NOT_ALLOWED'
  | 'PASSWORD_BASIC_DISABLED'
  | 'THROTTLED'
  | 'BAD_TARGET'
  | 'NOT_A_REST_URL'
  | 'IP_NOT_ALLOWED'
  | 'SCOPE_READ_ONLY'
  | 'RESTRICTED'
  | 'BODY_TOO_LARGE'
  | 'SUDO_NOT_SUDO_TOKEN'
  | 'SUDO_DISABLED'
  | 'SUDO_RESTRICTED_TOKEN'
  | 'SUDO_OWNER_NOT_SYSADMIN'
  | 'SUDO_ON_TOKEN_API'
  | 'SUDO_TARGET_UNKNOWN'
  | 'SUDO_TARGET_AMBIGUOUS'
  | 'SUDO_TARGET_INACTIVE'
  | 'SUDO_TARGET_SYSADMIN'
  | 'SUDO_TARGET_NO_TOKENS'
  | 'SUDO_AUDIT_FULL'
  | 'USERLESS_CREATOR_NOT_SYSADMIN'
  | 'USERLESS_AS_SYSADMIN'
  | 'SECRET_HOLDER_INACTIVE'
  | 'SECRET_HOLDER_NOT_ON_BEHALF'
  | 'SECRET_HOLDER_OUTRANKED'
  | 'PLUGIN_DISABLED'
  | 'PLUGIN_STATE_BY_TOKEN';

/** What the log and audit record of a refusal: the real reason and whatever is known of who tried. */
export interface RefusalDetails {
  readonly tokenId?: number;
  readonly userName?: string;
  /** The finer reason of BAD_TARGET or RESTRICTED. */
  readonly detail?: RefusalDetail;
}

/** The scheme a token came with; the 401 challenge names it. */
export type TokenScheme = 'basic' | 'bearer';

/**
 * The decision on one request:
 * - `pass`: no token in it — the host authenticates it (password, session, anonymous);
 * - `admit`: a token authenticated it; the filter installs `principal` and calls {@link TokenRequestAuthentication.accepted};
 * - `refuse`: answered by the filter with `code`'s status and generic message, plus `headers`.
 */
export type AuthVerdict =
  | { readonly kind: 'pass' }
  | {
    readonly kind: 'admit';
    readonly principal: AuthenticatedPrincipal;
    readonly credential: TokenCredential;
    /** The token's owner (for a sudo request, the principal's user is the user run as). */
    readonly owner: HostUser;
  }
  | {
    readonly kind: 'refuse';
    readonly reason: RefusalReason;
    readonly code: ErrorCode;
    /** 401s carry a challenge for the scheme that was tried. */
    readonly challenge: TokenScheme | null;
    readonly headers: Readonly<Record<string, string>>;
    /** The user whose locale the message is in: only once the token verified (no user oracle). */
    readonly user: HostUser | null;
    readonly details: RefusalDetails;
    /**
     * No log line and no audit event: a throttled attempt after the one that went over the limit
     * (that one is recorded), so that a flood costs one audit row per client and minute.
     */
    readonly quiet: boolean;
  };

export type AdmitVerdict = Extract<AuthVerdict, { kind: 'admit' }>;
export type RefuseVerdict = Extract<AuthVerdict, { kind: 'refuse' }>;

export const PASS: AuthVerdict = Object.freeze({ kind: 'pass' });

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

export function refuse(reason: RefusalReason, code: ErrorCode, details: RefusalDetails = {}, options: {
  challenge?: TokenScheme | null; headers?: Readonly<Record<string, string>>; user?: HostUser | null; quiet?: boolean;
} = {}): RefuseVerdict {
  return {
    kind: 'refuse', reason, code, challenge: options.challenge ?? null, headers: options.headers ?? NO_HEADERS, user: options.user ?? null, details,
    quiet: options.quiet ?? false,
  };
}
