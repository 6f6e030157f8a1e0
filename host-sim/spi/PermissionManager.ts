/** Global permissions as Jira/Confluence name them. */
export type GlobalPermission = 'SYSTEM_ADMIN' | 'ADMINISTER' | 'USE';

/** Global permission checks (SAL `PermissionEnforcer` / Jira `GlobalPermissionManager`). */
export interface PermissionManager {
  hasGlobalPermission(userKey: string, permission: GlobalPermission): Promise<boolean>;
  /** True when the user belongs to at least one of `groupNames` (false for an empty list). */
  isInAnyGroup(userKey: string, groupNames: readonly string[]): Promise<boolean>;
}
