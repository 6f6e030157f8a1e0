import type { AoRow, AoValue } from '../../host-sim/spi';
import { TokenColumns as C } from './TokenEntity';
import { TokenCredential, type Token, type TokenScope } from './Token';

// Mapping token rows to value objects, and the small statement helpers the token stores share.

/** Values per `IN (…)` list. */
export const IN_CHUNK = 500;

/**
 * The name of a token's own lock (`ActiveObjects.lock`): every change of the token takes it, a
 * create or regeneration through the token takes it too (so the token cannot be pruned meanwhile),
 * and the pruner takes it before it checks a token against its rule again.
 */
export function tokenLock(id: number): string {
  return `apitokenauth:token:${id}`;
}

/** The name of a user's create lock: a create counts the user's tokens under it, `deleteAllFor` deletes them under it. */
export function quotaLock(userKey: string): string {
  return `apitokenauth:tokens:${userKey}`;
}
/**
 * The largest id a token row can have: `ID` is a 32-bit integer column on every database. A larger
 * number names no row; PostgreSQL refuses even to compare it with the column (an error, not "no row").
 */
const MAX_ROW_ID = 2_147_483_647;

/** Whether `id` can name a token row at all. */
export function isRowId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0 && id <= MAX_ROW_ID;
}

export function num(value: AoValue | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

export function str(value: AoValue | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** The stored scope when this version knows it (0, 1, 2); null for any other value (another version's). */
function knownScope(value: AoValue | undefined): TokenScope | null {
  const n = num(value);
  return n === 0 || n === 1 || n === 2 ? n : null;
}

/** A scope this version does not know is shown as read-only, its narrowest: never as read/write. */
function scopeOf(value: AoValue | undefined): TokenScope {
  return knownScope(value) ?? 1;
}

/** Maps a token row to the read-only {@link Token} (no salt, no hash); shared with the maintenance store. */
export function toToken(row: AoRow): Token {
  return Object.freeze({
    id: num(row[C.ID]),
    stringId: String(row[C.STRING_ID]),
    publicId: String(row[C.PUBLIC_ID]),
    userKey: str(row[C.USER_KEY]),
    description: String(row[C.DESCRIPTION] ?? ''),
    created: num(row[C.CREATED]),
    createdBy: String(row[C.CREATED_BY] ?? ''),
    validUntil: num(row[C.VALID_UNTIL]),
    scope: scopeOf(row[C.SCOPE]),
    lastAccessed: num(row[C.LAST_ACCESSED]),
    lastIp: str(row[C.LAST_IP]),
    useCount: num(row[C.USE_COUNT]),
    restrictions: str(row[C.RESTRICTIONS]),
    notificationState: str(row[C.NOTIFICATION_STATE]),
    knownIps: str(row[C.KNOWN_IPS]),
    version: num(row[C.VERSION]),
    sudo: num(row[C.SUDO]) === 1,
    issuedVia: row[C.ISSUED_VIA] === null || row[C.ISSUED_VIA] === undefined ? null : num(row[C.ISSUED_VIA]),
    issuedTo: str(row[C.ISSUED_TO]),
  });
}

/**
 * The columns {@link toCredential} reads: a credential read (a node's first use of a token) skips
 * the bookkeeping columns (created, last access, use count, notification state), ~20% of a
 * SQLite row read and the bytes a server sends for each row.
 */
export const CREDENTIAL_COLUMNS: readonly string[] = [C.ID, C.PUBLIC_ID, C.USER_KEY, C.DESCRIPTION, C.VALID_UNTIL, C.SCOPE,
  C.RESTRICTIONS, C.VERSION, C.SALT, C.HASH, C.SUDO, C.STRING_ID, C.KNOWN_IPS, C.CREATED_BY, C.ISSUED_TO, C.USE_AUDITED_AT, C.USE_AUDITED_IP];

export function toCredential(row: AoRow): TokenCredential {
  const userKey = str(row[C.USER_KEY]);
  const issuedTo = str(row[C.ISSUED_TO]);
  const credential = new TokenCredential(
    num(row[C.ID]), String(row[C.PUBLIC_ID]), userKey, String(row[C.DESCRIPTION] ?? ''), num(row[C.VALID_UNTIL]),
    scopeOf(row[C.SCOPE]), str(row[C.RESTRICTIONS]), num(row[C.VERSION]),
    String(row[C.SALT]), String(row[C.HASH]), num(row[C.SUDO]) === 1, String(row[C.STRING_ID] ?? ''),
    // Most credentials hold the one empty string: an owned token its owner made or regenerated.
    str(row[C.KNOWN_IPS]), issuedTo ?? (userKey === null ? String(row[C.CREATED_BY] ?? '') : ''),
    // A scope another version wrote may be narrower than any this version knows: the token is refused.
    knownScope(row[C.SCOPE]) === null,
  );
  // The cluster's last audited use, as the row knew it: the sampler's note until it notes one itself.
  const auditedAt = num(row[C.USE_AUDITED_AT]);
  const auditedIp = str(row[C.USE_AUDITED_IP]);
  if (auditedAt > 0 && auditedIp) {
    credential.auditedAt = auditedAt;
    credential.auditedIp = auditedIp;
  }
  return credential;
}

/** `?, ?, …` for an `IN (…)` list of these values. */
export function inList(values: readonly AoValue[]): string {
  return values.map(() => '?').join(', ');
}

/** A turn of the event loop, between the statements of a long piece of work. */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}
