/** Global permissions as Jira/Confluence name them. */
export type GlobalPermission = 'SYSTEM_ADMIN' | 'ADMINISTER' | 'USE';

/** Global permission checks (SAL `PermissionEnforcer` / Jira `GlobalPermissionManager`). */
export interface PermissionManager {
  hasGlobalPermission(userKey: string, permission: GlobalPermission): Promise<boolean>;
  /** True when the user belongs to at least one of `groupNames` (false for an empty list). */
  isInAnyGroup(userKey: string, groupNames: readonly string[]): Promise<boolean>;
  /**
   * The keys of every user whose group membership grants `permission` (SYSTEM_ADMIN: the
   * system administrators' group; ADMINISTER: that group or the product administrators'),
   * sorted, each once. Inactive members are included (their tokens and data are still theirs,
   * and they hold the permission again once reactivated), unlike {@link hasGlobalPermission},
   * which also requires the user to be active. Made for keeping such users' data out of a query
   * a less privileged user runs; read from the database, so not for a per-request path.
   */
  userKeysWithGlobalPermission(permission: 'SYSTEM_ADMIN' | 'ADMINISTER'): Promise<string[]>;
  /**
   * The names in `groupNames` that name no group of the user directory (group names are
   * case-insensitive, as in {@link isInAnyGroup}), in the given order, each once; empty when
   * every group exists. Made for validating settings that name groups (a typo must not silently
   * exclude everyone); read from the database, so not for a per-request path.
   */
  unknownGroups(groupNames: readonly string[]): Promise<string[]>;
}
