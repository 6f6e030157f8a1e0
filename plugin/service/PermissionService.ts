import type { PermissionManager, UserManager } from '../../host-sim/spi';
import type { SettingsService } from './SettingsService';
import { isUnreadable } from './Settings';

/**
 * How much a user may do in the product: 2 system admin, 1 admin (ADMINISTER), 0 user. Acting
 * on another user's tokens takes a rank at least the owner's (docs/api.md "What a token may do").
 */
export type UserRank = 0 | 1 | 2;

export const RANK_USER: UserRank = 0;
export const RANK_ADMIN: UserRank = 1;
export const RANK_SYSADMIN: UserRank = 2;

/** Who may do what with tokens (docs/api.md, "What a token may do" and "Settings"). */
export interface PermissionService {
  isSystemAdmin(userKey: string): Promise<boolean>;
  /** The Create Token On Behalf permission: a `createOnBehalfGroups` member or a system admin. */
  mayManageOthers(userKey: string): Promise<boolean>;
  /** `tokenUserGroups` empty, or the user is in one of them. */
  mayUseTokens(userKey: string): Promise<boolean>;
  /** {@link mayUseTokens} when it needs no lookup (settings cached, no group limit); undefined otherwise. */
  peekMayUseTokens(userKey: string): boolean | undefined;
  /** Member of a `readOnlyOnlyGroups` group: read-only tokens only. */
  isReadOnlyOnly(userKey: string): Promise<boolean>;
  /** The user's {@link UserRank}, by group membership (active or not); a user the directory no longer has ranks as a system admin. */
  rankOf(userKey: string): Promise<UserRank>;
  /**
   * Keys of every user ranked above `rank` (none above a system admin): the owners whose tokens
   * a caller of that rank must not see, for excluding them in the query itself.
   */
  userKeysRankedAbove(rank: UserRank): Promise<readonly string[]>;
}

export class DefaultPermissionService implements PermissionService {
  constructor(
    private readonly users: UserManager,
    private readonly permissions: PermissionManager,
    private readonly settings: SettingsService,
  ) {}

  isSystemAdmin(userKey: string): Promise<boolean> {
    return this.users.isSystemAdmin(userKey);
  }

  async mayManageOthers(userKey: string): Promise<boolean> {
    if (await this.users.isSystemAdmin(userKey)) return true;
    const { createOnBehalfGroups } = await this.settings.get();
    return createOnBehalfGroups.length > 0 && this.permissions.isInAnyGroup(userKey, createOnBehalfGroups);
  }

  /** An unreadable `tokenUserGroups` (another version's form) lets nobody use tokens. */
  async mayUseTokens(userKey: string): Promise<boolean> {
    const settings = await this.settings.get();
    if (isUnreadable(settings, 'tokenUserGroups')) return false;
    return settings.tokenUserGroups.length === 0 || this.permissions.isInAnyGroup(userKey, settings.tokenUserGroups);
  }

  peekMayUseTokens(): boolean | undefined {
    const cached = this.settings.peek();
    return cached && cached.tokenUserGroups.length === 0 && !isUnreadable(cached, 'tokenUserGroups') ? true : undefined;
  }

  /** An unreadable `readOnlyOnlyGroups` (another version's form) makes everyone read-only. */
  async isReadOnlyOnly(userKey: string): Promise<boolean> {
    const settings = await this.settings.get();
    if (isUnreadable(settings, 'readOnlyOnlyGroups')) return true;
    return settings.readOnlyOnlyGroups.length > 0 && this.permissions.isInAnyGroup(userKey, settings.readOnlyOnlyGroups);
  }

  async rankOf(userKey: string): Promise<UserRank> {
    if (await this.users.isSystemAdmin(userKey)) return RANK_SYSADMIN;
    if (await this.users.isAdmin(userKey)) return RANK_ADMIN;
    // A user the directory no longer has (a deleted owner whose tokens are kept because tokens were
    // issued through them) has no groups, so would rank as anyone: their rank when they existed is
    // unknown, and only system admins may reach what they left (identity review, 2026-12-05).
    return (await this.users.getUserByKey(userKey)) === null ? RANK_SYSADMIN : RANK_USER;
  }

  async userKeysRankedAbove(rank: UserRank): Promise<readonly string[]> {
    if (rank === RANK_SYSADMIN) return [];
    return this.permissions.userKeysWithGlobalPermission(rank === RANK_ADMIN ? 'SYSTEM_ADMIN' : 'ADMINISTER');
  }
}
