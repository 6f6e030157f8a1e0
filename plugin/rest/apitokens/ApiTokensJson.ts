import type { Token } from '../../ao/Token';
import type { LastAccessRecorder } from '../../service/LastAccessRecorder';
import type { CreatedToken } from '../../service/TokenService';

/**
 * A token as `/rest/api-tokens` (seed 003) shows it: the `asp_…` id, the label and epoch-millisecond
 * times, as in the seed's example (`"createdAt":1572887594746, "lastAccessed":null`).
 */
export function apiTokenItem(token: Token, recorder: LastAccessRecorder) {
  const pending = recorder.pendingFor(token.id);
  const last = Math.max(token.lastAccessed, pending?.lastAccessed ?? 0);
  return { id: token.stringId, label: token.description, createdAt: token.created, lastAccessed: last > 0 ? last : null };
}

/** The create answer: the only one that carries the plain token. */
export function apiTokenCreated(created: CreatedToken) {
  return { id: created.token.stringId, label: created.token.description, token: created.plainText, createdAt: created.token.created };
}
