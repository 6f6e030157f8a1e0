import type { HostUser } from '../../host-sim/spi';
import type { TokenScope } from '../ao/Token';

/** Who is calling a token operation, and how. */
export interface Actor {
  readonly user: HostUser;
  /** Set when the caller authenticated with an API token. */
  readonly viaToken: { readonly id: number; readonly scope: TokenScope; readonly restricted: boolean } | null;
  readonly ip?: string;
}
