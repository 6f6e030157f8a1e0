// Confluence's JSON shapes for users, content and spaces (as /rest/api returns them).
import type { ContentRecord, SpaceRecord } from '../../impl/HostRuntime';
import type { HostUser } from '../../spi';

export interface LinkBase {
  readonly baseUrl: string;
  readonly contextPath: string;
}

function links(base: LinkBase, self: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...extra, self: `${base.baseUrl}${self}`, base: base.baseUrl, context: base.contextPath };
}

export function confluenceUser(base: LinkBase, user: HostUser): Record<string, unknown> {
  return {
    type: 'known',
    username: user.name,
    userKey: user.key,
    profilePicture: { path: `${base.contextPath}/images/icons/profilepics/default.svg`, width: 48, height: 48, isDefault: true },
    displayName: user.displayName,
    _links: links(base, `/rest/api/user?key=${encodeURIComponent(user.key)}`),
    _expandable: { status: '', operations: '', details: '', personalSpace: '' },
  };
}

export function confluenceAnonymous(base: LinkBase): Record<string, unknown> {
  return {
    type: 'anonymous',
    profilePicture: { path: `${base.contextPath}/images/icons/profilepics/anonymous.svg`, width: 48, height: 48, isDefault: true },
    displayName: 'Anonymous',
    _links: links(base, '/rest/api/user/anonymous'),
    _expandable: { operations: '' },
  };
}

export function spaceJson(base: LinkBase, space: SpaceRecord): Record<string, unknown> {
  return {
    id: space.id, key: space.key, name: space.name, type: 'global',
    _links: links(base, `/rest/api/space/${encodeURIComponent(space.key)}`, { webui: `/display/${encodeURIComponent(space.key)}` }),
    _expandable: { metadata: '', icon: '', description: '', homepage: '' },
  };
}

export function contentJson(base: LinkBase, content: ContentRecord, author: HostUser | null, withBody: boolean): Record<string, unknown> {
  return {
    id: String(content.id),
    type: content.type,
    status: 'current',
    title: content.title,
    space: { key: content.spaceKey, _links: links(base, `/rest/api/space/${encodeURIComponent(content.spaceKey)}`) },
    history: { latest: true, createdBy: author ? confluenceUser(base, author) : null, createdDate: new Date(content.created).toISOString() },
    version: { number: content.version, by: author ? confluenceUser(base, author) : null, when: new Date(content.created).toISOString() },
    ...(withBody ? { body: { storage: { value: content.body, representation: 'storage' } } } : {}),
    _links: links(base, `/rest/api/content/${content.id}`, { webui: `/pages/viewpage.action?pageId=${content.id}`, tinyui: `/x/${content.id}` }),
    _expandable: { children: '', descendants: '', ancestors: '', container: '', metadata: '', operations: '', restrictions: '' },
  };
}
