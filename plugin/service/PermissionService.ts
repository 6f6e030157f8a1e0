import type { PermissionManager, UserManager } from '../../host-sim/spi';
import type { SettingsService } from './SettingsService';

/** Who may do what with tokens (SPEC §6.1, §7). */
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

  async mayUseTokens(userKey: string): Promise<boolean> {
    const { tokenUserGroups } = await this.settings.get();
    return tokenUserGroups.length === 0 || this.permissions.isInAnyGroup(userKey, tokenUserGroups);
  }

  peekMayUseTokens(): boolean | undefined {
    const cached = this.settings.peek();
    return cached && cached.tokenUserGroups.length === 0 ? true : undefined;
  }

  async isReadOnlyOnly(userKey: string): Promise<boolean> {
    const { readOnlyOnlyGroups } = await this.settings.get();
    return readOnlyOnlyGroups.length > 0 && this.permissions.isInAnyGroup(userKey, readOnlyOnlyGroups);
  }
}
