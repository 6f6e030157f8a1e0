// Jira's JSON shapes for users and dates (as /rest/api/2 returns them).
import type { StoredUser } from '../../impl/HostRuntime';
import type { HostUser } from '../../spi';

/** Jira's timestamp format: `2026-11-23T02:47:16.000+0000`. */
export function jiraDate(millis: number): string {
  return new Date(millis).toISOString().replace('Z', '+0000');
}

export function jiraUserSelf(baseUrl: string, user: HostUser): string {
  return `${baseUrl}/rest/api/2/user?username=${encodeURIComponent(user.name)}`;
}

export function jiraAvatarUrls(baseUrl: string, user: HostUser): Record<string, string> {
  const owner = encodeURIComponent(user.key);
  return Object.fromEntries([['48x48', ''], ['24x24', '&size=small'], ['16x16', '&size=xsmall'], ['32x32', '&size=medium']]
    .map(([size, suffix]) => [size, `${baseUrl}/secure/useravatar?ownerId=${owner}&avatarId=10122${suffix}`]));
}

/** The short user JSON embedded in issues and comments. */
export function jiraUserRef(baseUrl: string, user: HostUser): Record<string, unknown> {
  return {
    self: jiraUserSelf(baseUrl, user), name: user.name, key: user.key, emailAddress: user.email,
    avatarUrls: jiraAvatarUrls(baseUrl, user), displayName: user.displayName, active: user.active, timeZone: user.timeZone,
  };
}

/** The full user JSON of `/rest/api/2/user` and `/myself`; groups listed when expanded. */
export function jiraUser(baseUrl: string, user: StoredUser, options: { expandGroups: boolean; applicationRoles: number }): Record<string, unknown> {
  return {
    self: jiraUserSelf(baseUrl, user),
    key: user.key,
    name: user.name,
    emailAddress: user.email,
    avatarUrls: jiraAvatarUrls(baseUrl, user),
    displayName: user.displayName,
    active: user.active,
    deleted: false,
    timeZone: user.timeZone,
    locale: user.locale,
    groups: {
      size: user.groups.length,
      items: options.expandGroups
        ? user.groups.map((name) => ({ name, self: `${baseUrl}/rest/api/2/group?groupname=${encodeURIComponent(name)}` }))
        : [],
    },
    applicationRoles: { size: options.applicationRoles, items: [] },
    expand: 'groups,applicationRoles',
  };
}

export function wantsExpand(expand: unknown, what: string): boolean {
  return typeof expand === 'string' && expand.split(',').map((s) => s.trim()).includes(what);
}
