import type { HostUser } from '../../host-sim/spi';
import type { TokenScope } from '../ao/Token';

/** How the caller's API token limits what it may do with tokens (docs/api.md "What a token may do"). */
export interface CallerToken {
  readonly id: number;
  /** The public id the token was admitted with: regenerating it gives a new one ('' when unknown). */
  readonly publicId: string;
  /** The effective scope of this request (read-only for a `readOnlyOnlyGroups` member). */
  readonly scope: TokenScope;
  /** Any restriction (URL, header, IP, body): no token or settings may change through it. */
  readonly restricted: boolean;
  /** The token's expiry (epoch ms): nothing created or rotated through it outlives it. */
  readonly validUntil: number;
  /** The request runs as another user through a sudo token: no token API, no settings at all. */
  readonly sudo: boolean;
}

/** Who is calling a token operation, and how. */
export interface Actor {
  /** The effective user (for a sudo request, the user run as). */
  readonly user: HostUser;
  /** Set when the caller authenticated with an API token. */
  readonly viaToken: CallerToken | null;
  readonly ip?: string;
}
