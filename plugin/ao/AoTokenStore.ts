import type { ActiveObjects, AoRow, AoValue } from '../../host-sim/spi';
import { AoTokenFilterQueries } from './AoTokenFilterQueries';
import { ascendingChunks, LAST_ACCESS_CHUNK, LAST_ACCESS_VALUES, lastAccessMerge, lastAccessRow, listInSlices } from './lastAccessSql';
import { mayBeStored, storable } from './exactText';
import { findRetiredCredentials, forgetRetiredSecrets, retireSecret } from './retiredSecrets';
import { deleteByIds, deleteIssuedThrough, deleteMarked, pruneByIds } from './tokenDeletion';
import { TOKEN_ENTITY as E, TokenColumns as C } from './TokenEntity';
import type { RetiredCredential, Token, TokenCredential } from './Token';
import { CREDENTIAL_COLUMNS, IN_CHUNK, inList, isRowId, num, quotaLock, tokenLock, toCredential, toToken } from './tokenRows';
import {
  DEFAULT_TOKEN_SORT,
  type InsertResult, type LastAccessBatch, type LimitsResult, type NewTokenRecord, type RotatedCredential, type RotateResult, type TokenFilter, type TokenLimits, type TokenPage,
  type TokenSort, type TokenStore,
} from './TokenStore';

/** {@link TokenStore} on Active Objects. */
export class AoTokenStore implements TokenStore {
  private readonly filters: AoTokenFilterQueries;

  constructor(private readonly ao: ActiveObjects) {
    this.filters = new AoTokenFilterQueries(ao);
  }

  async get(id: number): Promise<Token | null> {
    if (!isRowId(id)) return null;
    const row = await this.ao.get(E, id);
    return row ? toToken(row) : null;
  }

  async getByStringId(stringId: string): Promise<Token | null> {
    if (!mayBeStored(stringId)) return null;
    const row = await this.ao.findOne(E, { where: `${C.STRING_ID} = ?`, params: [stringId] });
    return row ? toToken(row) : null;
  }

  async findCredential(publicId: string): Promise<TokenCredential | null> {
    if (!mayBeStored(publicId)) return null;
    const row = await this.ao.findOne(E, { columns: CREDENTIAL_COLUMNS, where: `${C.PUBLIC_ID} = ?`, params: [publicId] });
    return row ? toCredential(row) : null;
  }

  async listByUser(userKey: string): Promise<Token[]> {
    if (!mayBeStored(userKey)) return [];
    const rows = await this.ao.find(E, { where: `${C.USER_KEY} = ?`, params: [userKey], order: `${C.CREATED} ASC, ${C.ID} ASC` });
    return rows.map(toToken);
  }

  countByUser(userKey: string): Promise<number> {
    if (!mayBeStored(userKey)) return Promise.resolve(0);
    return this.ao.count(E, { where: `${C.USER_KEY} = ?`, params: [userKey] });
  }

  async findByFilter(filter: TokenFilter, offset: number, limit: number): Promise<TokenPage> {
    const [tokens, total] = await Promise.all([this.findPageByFilter(filter, offset, limit), this.countByFilter(filter)]);
    return { tokens, total };
  }

  findPageByFilter(filter: TokenFilter, offset: number, limit: number): Promise<Token[]> {
    return this.findSortedPage(filter, DEFAULT_TOKEN_SORT, offset, limit);
  }

  findSortedPage(filter: TokenFilter, sort: TokenSort, offset: number, limit: number): Promise<Token[]> {
    return this.filters.findSortedPage(filter, sort, offset, limit);
  }

  countByFilter(filter: TokenFilter): Promise<number> {
    return this.filters.countByFilter(filter);
  }

  countByFilterUpTo(filter: TokenFilter, cap: number): Promise<number> {
    return this.filters.countByFilterUpTo(filter, cap);
  }

  countByFilterInSlices(filter: TokenFilter, sliceIds?: number): Promise<number> {
    return this.filters.countByFilterInSlices(filter, sliceIds);
  }

  findSortedAfter(filter: TokenFilter, sort: TokenSort, after: Token | null, limit: number): Promise<Token[]> {
    return this.filters.findSortedAfter(filter, sort, after, limit);
  }

  findIdsByFilter(filter: TokenFilter, afterId: number, limit: number): Promise<number[]> {
    return this.filters.findIdsByFilter(filter, afterId, limit);
  }

  async getMany(ids: readonly number[]): Promise<Token[]> {
    const out: Token[] = [];
    const rowIds = ids.filter(isRowId);
    for (let i = 0; i < rowIds.length; i += IN_CHUNK) {
      const chunk = rowIds.slice(i, i + IN_CHUNK);
      for (const row of await this.ao.find(E, { where: `${C.ID} IN (${inList(chunk)})`, params: chunk })) out.push(toToken(row));
    }
    return out;
  }

  async findCredentials(requested: readonly string[]): Promise<TokenCredential[]> {
    const out: TokenCredential[] = [];
    const publicIds = storable(requested);
    for (let i = 0; i < publicIds.length; i += IN_CHUNK) {
      const chunk = publicIds.slice(i, i + IN_CHUNK);
      for (const row of await this.ao.find(E, { columns: CREDENTIAL_COLUMNS, where: `${C.PUBLIC_ID} IN (${inList(chunk)})`, params: chunk })) out.push(toCredential(row));
    }
    return out;
  }

  findRetiredCredentials(publicIds: readonly string[]): Promise<RetiredCredential[]> {
    return findRetiredCredentials(this.ao, storable(publicIds));
  }

  deleteMany(ids: readonly number[]): Promise<Token[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.ao.executeInTransaction((tx) => pruneByIds(tx, ids));
  }

  async insert(record: NewTokenRecord, maxPerUser: number): Promise<InsertResult> {
    const inserted = await this.insertRow(record, maxPerUser);
    const issuer = record.issuedVia ?? null;
    if (!inserted.ok || issuer === null || await this.get(issuer) !== null) return inserted;
    // The issuer was deleted between the caller's check and this commit: its deletion may have
    // swept before the row existed, so the row goes here (see sweepIssuedThrough).
    await this.deleteWithIssued([inserted.token.id]);
    return { ok: false, reason: 'ISSUER_GONE' };
  }

  private insertRow(record: NewTokenRecord, maxPerUser: number): Promise<InsertResult> {
    return this.ao.executeInTransaction(async (tx) => {
      // A user-less token counts against its creator's quota, with the tokens the creator owns:
      // without an owner it would have no quota, and one system admin could make any number.
      const quotaKey = record.userKey ?? record.createdBy;
      await tx.lock(quotaLock(quotaKey));
      // The issuer's lock, held to the commit: the pruner, which takes it before its last check,
      // either deletes the issuer first (this create then finds it gone) or sees this token.
      if (record.issuedVia != null) {
        await tx.lock(tokenLock(record.issuedVia));
        if (!(await tx.get(E, record.issuedVia))) return { ok: false, reason: 'ISSUER_GONE' } as const;
      }
      // Two counts, each an index range (USER_KEY), rather than one OR the databases would scan.
      const owned = await tx.count(E, { where: `${C.USER_KEY} = ?`, params: [quotaKey] });
      const userless = await tx.count(E, { where: `${C.USER_KEY} IS NULL AND ${C.CREATED_BY} = ?`, params: [quotaKey] });
      if (owned + userless >= maxPerUser) return { ok: false, reason: 'QUOTA_EXCEEDED' } as const;
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
      return { ok: true, token: toToken(row) } as const;
    });
  }

  async updateDescription(id: number, description: string): Promise<Token | null> {
    const changed = await this.ao.update(E, { [C.DESCRIPTION]: description }, `${C.ID} = ?`, [id]);
    return changed > 0 ? this.get(id) : null;
  }

  updateRestrictions(id: number, restrictions: string | null): Promise<Token | null> {
    return this.ao.executeInTransaction(async (tx) => {
      const row = await lockedRow(tx, id);
      if (!row) return null;
      await tx.update(E, { [C.RESTRICTIONS]: restrictions, [C.VERSION]: num(row[C.VERSION]) + 1 }, `${C.ID} = ?`, [id]);
      const updated = await tx.get(E, id);
      return updated ? toToken(updated) : null;
    });
  }

  updateLimits(id: number, limits: TokenLimits, expectedVersion?: number): Promise<LimitsResult> {
    return this.ao.executeInTransaction(async (tx): Promise<LimitsResult> => {
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
    });
  }

  async rotate(id: number, credential: RotatedCredential): Promise<RotateResult> {
    const rotated = await this.rotateRow(id, credential);
    if (rotated === 'NOT_FOUND' || rotated === 'CHANGED') return { ok: false, reason: rotated };
    const issuer = credential.issuedVia;
    if (issuer === null || issuer === id || await this.get(issuer) !== null) return { ok: true, ...rotated };
    // As in insert: the issuer's deletion may have swept before this commit, so the token goes here.
    return { ok: false, reason: 'ISSUER_GONE', previousPublicId: rotated.previousPublicId, deleted: await this.deleteWithIssued([id]) };
  }

  private rotateRow(id: number, credential: RotatedCredential): Promise<{ token: Token; previousPublicId: string } | 'NOT_FOUND' | 'CHANGED'> {
    return this.ao.executeInTransaction(async (tx) => {
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
        // A new expiry (regenerate = renew) re-arms the expiry warnings.
        ...(credential.validUntil === undefined ? {} : { [C.VALID_UNTIL]: credential.validUntil, [C.NOTIFICATION_STATE]: null }),
      }, `${C.ID} = ?`, [id]);
      // After the update, which holds the row: a deletion (which takes no token lock) either
      // removed the row first (nothing to keep) or waits and then deletes this retired row too.
      if (changed === 0) return 'NOT_FOUND';
      if (credential.retiredVia) await retireSecret(tx, row, credential.retiredVia.at, credential.retiredVia.tokenId);
      const updated = await tx.get(E, id);
      return updated ? { token: toToken(updated), previousPublicId: String(row[C.PUBLIC_ID]) } : 'NOT_FOUND';
    });
  }

  async delete(id: number): Promise<boolean> {
    return (await this.ao.executeInTransaction((tx) => deleteByIds(tx, [id]))).length > 0;
  }

  async deleteAllForUser(userKey: string): Promise<Token[]> {
    if (!mayBeStored(userKey)) return [];
    const deleted = await this.ao.executeInTransaction(async (tx) => {
      // The quota lock of insert: a token created for the user now comes before (and goes) or after (and stays).
      await tx.lock(quotaLock(userKey));
      const own = await deleteMarked(tx, `${C.USER_KEY} = ?`, [userKey]);
      if (own.length === 0) return [];
      await forgetRetiredSecrets(tx, own.map((t) => t.stringId));
      return [...own, ...await deleteIssuedThrough(tx, own.map((t) => t.id))];
    });
    return deleted.length === 0 ? deleted : [...deleted, ...await this.sweepIssuedThrough(deleted)];
  }

  async deleteWithIssued(ids: readonly number[]): Promise<Token[]> {
    if (ids.length === 0) return [];
    const deleted = await this.ao.executeInTransaction(async (tx) => {
      const named = await deleteByIds(tx, ids);
      // One round also when nothing was deleted (id 0 names no token): the revocation API runs the
      // same statements for any input.
      return [...named, ...await deleteIssuedThrough(tx, named.length > 0 ? named.map((t) => t.id) : [0])];
    });
    return [...deleted, ...await this.sweepIssuedThrough(deleted)];
  }

  /**
   * After a revocation has committed: tokens issued through one of the deleted ones by a write that
   * committed during the revocation (its transaction could not see them; on MariaDB its snapshot
   * predates them). A write that commits later finds its issuer gone itself (insert; the token
   * service after a regeneration). Between the two, every interleaving deletes the token.
   */
  private sweepIssuedThrough(deleted: readonly Token[]): Promise<Token[]> {
    const ids = deleted.length > 0 ? deleted.map((t) => t.id) : [0];
    return this.ao.executeInTransaction((tx) => deleteIssuedThrough(tx, ids));
  }

  async recordLastAccess(pending: LastAccessBatch): Promise<void> {
    const updates = await listInSlices(pending);
    if (updates.length === 0) return;
    const set = lastAccessMerge(this.ao);
    // Off the request thread: on SQLite a flush of many tokens would otherwise stop requests for
    // its statements and its commit.
    await this.ao.executeInBackgroundTransaction(async (tx) => {
      // Ascending ids: every node's flush locks rows in the same order (no deadlock between nodes).
      for await (const chunk of ascendingChunks(updates, LAST_ACCESS_CHUNK)) {
        await tx.updateMany(E, LAST_ACCESS_VALUES, chunk.map(lastAccessRow), set);
      }
    });
  }
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
