import type { ActiveObjects } from '../../host-sim/spi';
import { AoTokenFilterQueries } from './AoTokenFilterQueries';
import { ascendingChunks, LAST_ACCESS_CHUNK, LAST_ACCESS_VALUES, lastAccessMerge, lastAccessRow, listInSlices } from './lastAccessSql';
import { mayBeStored, storable } from './exactText';
import { findRetiredCredentials, forgetRetiredSecrets } from './retiredSecrets';
import { deleteByIds, deleteIssuedThrough, deleteMarked, pruneByIds } from './tokenDeletion';
import { TOKEN_ENTITY as E, TokenColumns as C } from './TokenEntity';
import type { RetiredCredential, Token, TokenCredential } from './Token';
import { CREDENTIAL_COLUMNS, IN_CHUNK, inList, isRowId, quotaLock, toCredential, toToken } from './tokenRows';
import { insertTokenRow, rotateTokenRow, updateLimitsRow, updateRestrictionsRow } from './tokenWrites';
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
    const inserted = await this.ao.executeInTransaction((tx) => insertTokenRow(tx, record, maxPerUser));
    const issuer = record.issuedVia ?? null;
    if (!inserted.ok || issuer === null || await this.get(issuer) !== null) return inserted;
    // The issuer was deleted between the caller's check and this commit: its deletion may have
    // swept before the row existed, so the row goes here (see sweepIssuedThrough).
    await this.deleteWithIssued([inserted.token.id]);
    return { ok: false, reason: 'ISSUER_GONE' };
  }

  async updateDescription(id: number, description: string): Promise<Token | null> {
    const changed = await this.ao.update(E, { [C.DESCRIPTION]: description }, `${C.ID} = ?`, [id]);
    return changed > 0 ? this.get(id) : null;
  }

  updateRestrictions(id: number, restrictions: string | null): Promise<Token | null> {
    return this.ao.executeInTransaction((tx) => updateRestrictionsRow(tx, id, restrictions));
  }

  updateLimits(id: number, limits: TokenLimits, expectedVersion?: number): Promise<LimitsResult> {
    return this.ao.executeInTransaction((tx) => updateLimitsRow(tx, id, limits, expectedVersion));
  }

  async rotate(id: number, credential: RotatedCredential): Promise<RotateResult> {
    const rotated = await this.ao.executeInTransaction((tx) => rotateTokenRow(tx, id, credential));
    if (rotated === 'NOT_FOUND' || rotated === 'CHANGED') return { ok: false, reason: rotated };
    const issuer = credential.issuedVia;
    if (issuer === null || issuer === id || await this.get(issuer) !== null) return { ok: true, ...rotated };
    // As in insert: the issuer's deletion may have swept before this commit, so the token goes here.
    return { ok: false, reason: 'ISSUER_GONE', previousPublicId: rotated.previousPublicId, deleted: await this.deleteWithIssued([id]) };
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
