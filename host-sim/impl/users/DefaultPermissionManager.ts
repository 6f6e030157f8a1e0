// Global permissions from group membership: SYSTEM_ADMIN = the product's sysadmin group,
// ADMINISTER = sysadmin or product admin group, USE = the users group or any admin.
import type { GlobalPermission, PermissionManager } from '../../spi/PermissionManager';
import type { UserManager } from '../../spi/UserManager';
import type { ProductProfile } from './ProductProfile';

export class DefaultPermissionManager implements PermissionManager {
  constructor(
    private readonly users: UserManager,
    private readonly profile: ProductProfile,
    /** Keys of the members of any of these (lower-case) groups, sorted, each once. */
    private readonly membersOf: (lowerGroupNames: readonly string[]) => Promise<string[]>,
    /** Whether a group of this name (case-insensitive) exists. */
    private readonly groupExists: (groupName: string) => Promise<boolean>,
  ) {}

  async hasGlobalPermission(userKey: string, permission: GlobalPermission): Promise<boolean> {
    const user = await this.users.getUserByKey(userKey);
    if (!user || !user.active) return false;
    const groups = new Set((await this.users.getGroupNames(userKey)).map((g) => g.toLowerCase()));
    const sysadmin = groups.has(this.profile.sysadminGroup);
    const admin = sysadmin || groups.has(this.profile.adminGroup);
    switch (permission) {
      case 'SYSTEM_ADMIN': return sysadmin;
      case 'ADMINISTER': return admin;
      case 'USE': return admin || groups.has(this.profile.usersGroup);
      default: return false;
    }
  }

  userKeysWithGlobalPermission(permission: 'SYSTEM_ADMIN' | 'ADMINISTER'): Promise<string[]> {
    const groups = permission === 'SYSTEM_ADMIN' ? [this.profile.sysadminGroup] : [this.profile.sysadminGroup, this.profile.adminGroup];
    return this.membersOf(groups.map((g) => g.toLowerCase()));
  }

  async unknownGroups(groupNames: readonly string[]): Promise<string[]> {
    const seen = new Set<string>();
    const unknown: string[] = [];
    for (const name of groupNames) {
      const lower = name.toLowerCase();
      if (seen.has(lower)) continue;
      seen.add(lower);
      if (!(await this.groupExists(name))) unknown.push(name);
    }
    return unknown;
  }

  async isInAnyGroup(userKey: string, groupNames: readonly string[]): Promise<boolean> {
    if (!groupNames.length) return false;
    const wanted = new Set(groupNames.map((g) => g.toLowerCase()));
    return (await this.users.getGroupNames(userKey)).some((g) => wanted.has(g.toLowerCase()));
  }
}
