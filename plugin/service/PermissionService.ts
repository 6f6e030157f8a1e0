import type { PermissionManager, UserManager } from '../../host-sim/spi';
import type { SettingsService } from './SettingsService';

/** Who may do what with tokens (SPEC §6.1, §7). */
export interface PermissionService {
  isSystemAdmin(userKey: string): Promise<boolean>;
  /** The Create Token On Behalf permission: a `createOnBehalfGroups` member or a system admin. */
  mayManageOthers(userKey: string): Promise<boolean>;
  /** `tokenUserGroups` empty, or the user is in one of them. */
  mayUseTokens(userKey: string): Promise<boolean>;
  /** Member of a `readOnlyOnlyGroups` group: read-only tokens only. */
  isReadOnlyOnly(userKey: string): Promise<boolean>;
}

const ALLOWED: Promise<boolean> = Promise.resolve(true);

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

  mayUseTokens(userKey: string): Promise<boolean> {
    // Asked on every token request: with cached settings and no group limit (the default)
    // answer with a shared settled promise instead of an async chain.
    const cached = this.settings.peek();
    if (cached && cached.tokenUserGroups.length === 0) return ALLOWED;
    return this.settings.get().then(({ tokenUserGroups }) => tokenUserGroups.length === 0
      || this.permissions.isInAnyGroup(userKey, tokenUserGroups));
  }

  async isReadOnlyOnly(userKey: string): Promise<boolean> {
    const { readOnlyOnlyGroups } = await this.settings.get();
    return readOnlyOnlyGroups.length > 0 && this.permissions.isInAnyGroup(userKey, readOnlyOnlyGroups);
  }
}
