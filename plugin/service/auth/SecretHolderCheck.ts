import type { HostUser, UserManager } from '../../../host-sim/spi';
import type { TokenCredential } from '../../ao/Token';
import type { PermissionService } from '../PermissionService';
import { refuse, type RefuseVerdict } from './AuthVerdict';

/**
 * A token whose current secret was handed to someone other than its owner — created or
 * regenerated on the owner's behalf (`ISSUED_TO`) — works only while that person is active and
 * does not rank below the owner, checked per request. The rank rule of on-behalf creation is
 * otherwise checked once: promoting the owner (or demoting the creator) afterwards would leave a
 * credential more powerful than its holder in the holder's hands. The owner regenerating the
 * token takes the secret back and ends the check. User-less tokens have their own rule
 * (SudoResolver.userlessRefusal).
 */
export class SecretHolderCheck {
  constructor(private readonly users: UserManager, private readonly permissions: PermissionService) {}

  /** Null: the token may act; else the refusal (401: the token no longer authenticates). */
  async refusal(credential: TokenCredential, owner: HostUser): Promise<RefuseVerdict | null> {
    const no = (reason: 'SECRET_HOLDER_INACTIVE' | 'SECRET_HOLDER_OUTRANKED'): RefuseVerdict => refuse(reason, 'TOKEN_AUTH_FAILED',
      { tokenId: credential.tokenId, userName: owner.name }, { challenge: 'basic', user: owner });
    const holder = await this.users.getUserByKey(credential.secretHolder);
    if (!holder || !holder.active) return no('SECRET_HOLDER_INACTIVE');
    const [holderRank, ownerRank] = await Promise.all([this.permissions.rankOf(holder.key), this.permissions.rankOf(owner.key)]);
    return holderRank < ownerRank ? no('SECRET_HOLDER_OUTRANKED') : null;
  }
}
