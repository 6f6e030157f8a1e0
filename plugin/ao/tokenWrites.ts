import type { ActiveObjects, AoRow, AoValue } from '../../host-sim/spi';
import { retireSecret } from './retiredSecrets';
import { TOKEN_ENTITY as E, TokenColumns as C } from './TokenEntity';
import type { Token } from './Token';
import { num, quotaLock, tokenLock, toToken } from './tokenRows';
import type { InsertResult, LimitsResult, NewTokenRecord, RotatedCredential, TokenLimits } from './TokenStore';

// The writes of one token inside a transaction: its creation under the quota lock, and its
// changes under its own lock (AoTokenStore runs each in a transaction of its own).

/** A rotation's outcome inside its transaction (AoTokenStore then checks the issuer). */
export type RotatedRow = { token: Token; previousPublicId: string } | 'NOT_FOUND' | 'CHANGED';

export async function insertTokenRow(tx: ActiveObjects, record: NewTokenRecord, maxPerUser: number): Promise<InsertResult> {
  // A user-less token counts against its creator's quota, with the tokens the creator owns:
  // without an owner it would have no quota, and one system admin could make any number.
  const quotaKey = record.userKey ?? record.createdBy;
  await tx.lock(quotaLock(quotaKey));
  // The issuer's lock, held to the commit: the pruner, which takes it before its last check,
  // either deletes the issuer first (this create then finds it gone) or sees this token.
  if (record.issuedVia != null) {
    await tx.lock(tokenLock(record.issuedVia));
    if (!(await tx.get(E, record.issuedVia))) return { ok: false, reason: 'ISSUER_GONE' };
  }
  // Two counts, each an index range (USER_KEY), rather than one OR the databases would scan.
  const owned = await tx.count(E, { where: `${C.USER_KEY} = ?`, params: [quotaKey] });
  const userless = await tx.count(E, { where: `${C.USER_KEY} IS NULL AND ${C.CREATED_BY} = ?`, params: [quotaKey] });
  if (owned + userless >= maxPerUser) return { ok: false, reason: 'QUOTA_EXCEEDED' };
  const row = await tx.create(E, {
    [C.PUBLIC_ID]: record.publicId,
    [C.STRING_ID]: record.stringId,
    [C.USER_KEY]: record.userKey,
    [C.DESCRIPTION]: record.description,
    [C.CREATED]: record.created,
    [C.CREATED_BY]: record.createdBy,
    [C.VALID_UNTIL]: record.validUntil,
    [C.SCOPE]: record.scope,
    [C.SALT]: record.salt.toString('hex'),
    [C.HASH]: record.hash.toString('hex'),
    [C.LAST_ACCESSED]: 0,
    [C.LAST_IP]: null,
    [C.USE_COUNT]: 0,
    [C.RESTRICTIONS]: record.restrictions,
    [C.NOTIFICATION_STATE]: null,
    [C.KNOWN_IPS]: null,
    [C.VERSION]: 1,
    [C.SUDO]: record.sudo ? 1 : 0,
    [C.ISSUED_VIA]: record.issuedVia ?? null,
    [C.ISSUED_TO]: record.issuedTo ?? null,
  });
  return { ok: true, token: toToken(row) };
}

export async function updateRestrictionsRow(tx: ActiveObjects, id: number, restrictions: string | null): Promise<Token | null> {
  const row = await lockedRow(tx, id);
  if (!row) return null;
  await tx.update(E, { [C.RESTRICTIONS]: restrictions, [C.VERSION]: num(row[C.VERSION]) + 1 }, `${C.ID} = ?`, [id]);
  const updated = await tx.get(E, id);
  return updated ? toToken(updated) : null;
}

/** Writes only over `expectedVersion` when given (the version its caller's checks read). */
export async function updateLimitsRow(tx: ActiveObjects, id: number, limits: TokenLimits, expectedVersion?: number): Promise<LimitsResult> {
  const row = await lockedRow(tx, id);
  if (!row) return { ok: false, reason: 'NOT_FOUND' };
  if (expectedVersion !== undefined && num(row[C.VERSION]) !== expectedVersion) return { ok: false, reason: 'CHANGED' };
  const values: Record<string, AoValue> = { [C.VERSION]: num(row[C.VERSION]) + 1 };
  if (limits.scope !== undefined) values[C.SCOPE] = limits.scope;
  if (limits.validUntil !== undefined) {
    values[C.VALID_UNTIL] = limits.validUntil;
    // A new expiry re-arms the expiry warnings.
    values[C.NOTIFICATION_STATE] = null;
  }
  if (limits.restrictions !== undefined) values[C.RESTRICTIONS] = limits.restrictions;
  await tx.update(E, values, `${C.ID} = ?`, [id]);
  const updated = await tx.get(E, id);
  return updated ? { ok: true, token: toToken(updated) } : { ok: false, reason: 'NOT_FOUND' };
}

export async function rotateTokenRow(tx: ActiveObjects, id: number, credential: RotatedCredential): Promise<RotatedRow> {
  // The issuing token's lock as well: the pruner cannot delete it while its offspring is made.
  const row = await lockedRow(tx, id, credential.issuedVia);
  if (!row) return 'NOT_FOUND';
  if (credential.expectedVersion !== undefined && num(row[C.VERSION]) !== credential.expectedVersion) return 'CHANGED';
  const changed = await tx.update(E, {
    [C.PUBLIC_ID]: credential.publicId,
    [C.SALT]: credential.salt.toString('hex'),
    [C.HASH]: credential.hash.toString('hex'),
    [C.VERSION]: num(row[C.VERSION]) + 1,
    [C.ISSUED_VIA]: credential.issuedVia,
    [C.ISSUED_TO]: credential.issuedTo,
    ...(credential.renewedAt === undefined ? {} : { [C.RENEWED]: credential.renewedAt }),
    // A new expiry (regenerate = renew) re-arms the expiry warnings; a kept one (through a token
    // without a new expiry) keeps them, or its warnings were mailed again at every regeneration.
    ...(credential.validUntil === undefined ? {} : { [C.VALID_UNTIL]: credential.validUntil }),
    ...(credential.validUntil === undefined || credential.validUntil === num(row[C.VALID_UNTIL]) ? {} : { [C.NOTIFICATION_STATE]: null }),
  }, `${C.ID} = ?`, [id]);
  // After the update, which holds the row: a deletion (which takes no token lock) either
  // removed the row first (nothing to keep) or waits and then deletes this retired row too.
  if (changed === 0) return 'NOT_FOUND';
  if (credential.retiredVia) await retireSecret(tx, row, credential.retiredVia.at, credential.retiredVia.tokenId);
  const updated = await tx.get(E, id);
  return updated ? { token: toToken(updated), previousPublicId: String(row[C.PUBLIC_ID]) } : 'NOT_FOUND';
}

/**
 * The token's row, read after taking the token's lock for the rest of the transaction: changes
 * of one token serialise across nodes, so each reads what the one before it wrote. Without it,
 * two rotations on MariaDB or PostgreSQL both read the same row, both named its public id as
 * the one they replaced, and the first one's new public id was never dropped from the nodes'
 * caches (and a version was lost).
 */
async function lockedRow(tx: ActiveObjects, id: number, issuer: number | null = null): Promise<AoRow | null> {
  // Both in ascending order, as the pruner takes them: no two transactions wait for each other.
  for (const lockId of issuer === null || issuer === id ? [id] : [Math.min(id, issuer), Math.max(id, issuer)]) await tx.lock(tokenLock(lockId));
  return tx.get(E, id);
}
