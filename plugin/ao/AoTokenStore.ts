import type { ActiveObjects, AoRow, AoValue } from '../../host-sim/spi';
import { findRetiredCredentials, forgetRetiredSecrets, retireSecret } from './retiredSecrets';
import { TOKEN_ENTITY as E, TokenColumns as C } from './TokenEntity';
import { TokenCredential, type RetiredCredential, type Token, type TokenScope } from './Token';
import {
  DEFAULT_TOKEN_SORT,
  type InsertResult, type LastAccessUpdate, type NewTokenRecord, type RotatedCredential, type RotateResult, type TokenFilter, type TokenLimits, type TokenPage,
  type TokenSort, type TokenSortKey, type TokenStore,
} from './TokenStore';

const IN_CHUNK = 500;
/**
 * The largest id a token row can have: `ID` is a 32-bit integer column on every database. A larger
 * number names no row; PostgreSQL refuses even to compare it with the column (an error, not "no row").
 */
const MAX_ROW_ID = 2_147_483_647;

/** Whether `id` can name a token row at all. */
function isRowId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0 && id <= MAX_ROW_ID;
}

function num(value: AoValue | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

function str(value: AoValue | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

function scopeOf(value: AoValue | undefined): TokenScope {
  const n = num(value);
  return n === 1 || n === 2 ? n : 0;
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
const CREDENTIAL_COLUMNS: readonly string[] = [C.ID, C.PUBLIC_ID, C.USER_KEY, C.DESCRIPTION, C.VALID_UNTIL, C.SCOPE,
  C.RESTRICTIONS, C.VERSION, C.SALT, C.HASH, C.SUDO, C.STRING_ID, C.KNOWN_IPS, C.CREATED_BY, C.ISSUED_TO];

function toCredential(row: AoRow): TokenCredential {
  const userKey = str(row[C.USER_KEY]);
  const issuedTo = str(row[C.ISSUED_TO]);
  return new TokenCredential(
    num(row[C.ID]), String(row[C.PUBLIC_ID]), userKey, String(row[C.DESCRIPTION] ?? ''), num(row[C.VALID_UNTIL]),
    scopeOf(row[C.SCOPE]), str(row[C.RESTRICTIONS]), num(row[C.VERSION]),
    String(row[C.SALT]), String(row[C.HASH]), num(row[C.SUDO]) === 1, String(row[C.STRING_ID] ?? ''),
    // Most credentials hold the one empty string: an owned token its owner made or regenerated.
    str(row[C.KNOWN_IPS]), issuedTo ?? (userKey === null ? String(row[C.CREATED_BY] ?? '') : ''),
  );
}

/** Escapes `%`, `_` and the escape character itself for `LIKE … ESCAPE '!'` (portable: no backslash). */
function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

function buildWhere(filter: TokenFilter, ao: ActiveObjects): { where: string; params: AoValue[] } {
  const parts: string[] = [];
  const params: AoValue[] = [];
  const add = (sql: string, ...values: AoValue[]) => { parts.push(sql); params.push(...values); };
  if (filter.userKeys && filter.userKeys.length > 0) {
    add(`${C.USER_KEY} IN (${filter.userKeys.map(() => '?').join(', ')})`, ...filter.userKeys);
  }
  // Inside a function call AO does not quote the column (PostgreSQL would look for "description").
  if (filter.descriptionContains) add(`LOWER(${ao.quote(C.DESCRIPTION)}) LIKE ? ESCAPE '!'`, likeContains(filter.descriptionContains));
  if (filter.notValidAfter !== undefined) add(`${C.VALID_UNTIL} <= ?`, filter.notValidAfter);
  if (filter.scope !== undefined) add(`${C.SCOPE} = ?`, filter.scope);
  if (filter.createdFrom !== undefined) add(`${C.CREATED} >= ?`, filter.createdFrom);
  if (filter.createdUntil !== undefined) add(`${C.CREATED} <= ?`, filter.createdUntil);
  if (filter.lastUsedFrom !== undefined) add(`${C.LAST_ACCESSED} >= ?`, filter.lastUsedFrom);
  if (filter.lastUsedUntil !== undefined) add(`${C.LAST_ACCESSED} <= ?`, filter.lastUsedUntil);
  if (filter.expiresFrom !== undefined) add(`${C.VALID_UNTIL} >= ?`, filter.expiresFrom);
  if (filter.expiresUntil !== undefined) add(`${C.VALID_UNTIL} <= ?`, filter.expiresUntil);
  if (filter.excludeUserless) add(`${C.USER_KEY} IS NOT NULL`);
  const excluded = filter.excludeUserKeys ?? [];
  for (let i = 0; i < excluded.length; i += IN_CHUNK) {
    const chunk = excluded.slice(i, i + IN_CHUNK);
    // NOT IN is never true for a NULL key: user-less tokens stay unless excludeUserless says otherwise.
    add(`(${C.USER_KEY} IS NULL OR ${C.USER_KEY} NOT IN (${chunk.map(() => '?').join(', ')}))`, ...chunk);
  }
  return { where: parts.length > 0 ? parts.join(' AND ') : '1 = 1', params };
}

/**
 * Tokens per last-access statement: requests spread over 1,000,000 tokens make nearly every
 * request a token not yet pending, so a flush costs ~1 / LAST_ACCESS_CHUNK statements per
 * request. No flush statement runs on the event loop (SQLite: a writer thread, see
 * executeInBackgroundTransaction); 2,000 rows are 8,000–10,000 bind values, far below every
 * database's limit.
 */
export const LAST_ACCESS_CHUNK = 2000;
const LAST_ACCESS_VALUES = [
  { name: 'V_LAST_ACCESSED', type: 'bigint' }, { name: 'V_LAST_IP', type: 'text' }, { name: 'V_USE_COUNT_DELTA', type: 'bigint' },
] as const;

/**
 * Ids per statement of {@link AoTokenStore.countByFilterInSlices}: on SQLite a description
 * substring over 10,000 rows takes ~5 ms from the page cache, ~25 ms from a cold one.
 */
const COUNT_SLICE = 10_000;
/** Largest id range of one statement of {@link AoTokenStore.countByFilterUpTo} (a larger one may be planned as another index's scan). */
const MAX_UP_TO_SLICE = 160_000;

/** Entries handled between two turns of the event loop when bucketing a large flush. */
const SCAN_SLICE = 50_000;

function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * `updates` in chunks of `size`, in ascending token id, giving the event loop a turn before
 * every chunk and every {@link SCAN_SLICE} entries of the preparation: the
 * ids are spread over about one bucket per chunk by value, and each bucket is sorted only when
 * its turn comes, so no step sorts the whole set at once (on SQLite each statement runs on the
 * event loop, and a flush may carry hundreds of thousands of tokens).
 */
export async function* ascendingChunks(updates: readonly LastAccessUpdate[], size: number): AsyncGenerator<LastAccessUpdate[]> {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < updates.length; i++) {
    if (i > 0 && i % SCAN_SLICE === 0) await nextTurn();
    const id = updates[i].tokenId;
    if (id < min) min = id;
    if (id > max) max = id;
  }
  const count = Math.max(1, Math.ceil(updates.length / size));
  const width = (max - min + 1) / count;
  const buckets: LastAccessUpdate[][] = Array.from({ length: count }, () => []);
  for (let i = 0; i < updates.length; i++) {
    if (i > 0 && i % SCAN_SLICE === 0) await nextTurn();
    const u = updates[i];
    buckets[Math.min(count - 1, Math.floor((u.tokenId - min) / width))].push(u);
  }
  let chunk: LastAccessUpdate[] = [];
  for (const bucket of buckets) {
    bucket.sort((a, b) => a.tokenId - b.tokenId);
    for (const u of bucket) {
      chunk.push(u);
      if (chunk.length < size) continue;
      await nextTurn();
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) {
    await nextTurn();
    yield chunk;
  }
}

/**
 * The merge of one node's last-access data into the row, in portable SQL: the later time wins
 * (never backwards) with its IP, use counts add up. Each assignment reads only the row's old
 * values or gives the same result after the others (MySQL may apply them in any order): the IP
 * is taken when the node's time is at least the row's, before or after the time moved to it.
 */
function lastAccessMerge(ao: ActiveObjects): string {
  const q = (c: string) => ao.quote(c);
  const at = `COALESCE(T.${q(C.LAST_ACCESSED)}, 0)`;
  return `${q(C.LAST_IP)} = CASE WHEN V.V_LAST_ACCESSED >= ${at} THEN V.V_LAST_IP ELSE T.${q(C.LAST_IP)} END, `
    + `${q(C.LAST_ACCESSED)} = CASE WHEN V.V_LAST_ACCESSED > ${at} THEN V.V_LAST_ACCESSED ELSE ${at} END, `
    + `${q(C.USE_COUNT)} = COALESCE(T.${q(C.USE_COUNT)}, 0) + V.V_USE_COUNT_DELTA`;
}

/** The column of each sort key (each with a `(column, ID)` index, TokenUpgradeTask001/003); only USER_KEY can be NULL. */
const SORT_COLUMNS: Record<TokenSortKey, { readonly column: string; readonly nullable: boolean }> = {
  validUntil: { column: C.VALID_UNTIL, nullable: false },
  created: { column: C.CREATED, nullable: false },
  lastAccessed: { column: C.LAST_ACCESSED, nullable: false },
  description: { column: C.DESCRIPTION, nullable: false },
  user: { column: C.USER_KEY, nullable: true },
};

/** The stored value a token sorts by (last access as stored, not this node's unflushed uses). */
function sortValue(token: Token, key: TokenSortKey): AoValue {
  switch (key) {
    case 'validUntil': return token.validUntil;
    case 'created': return token.created;
    case 'lastAccessed': return token.lastAccessed;
    case 'description': return token.description;
    case 'user': return token.userKey;
  }
}

function orderOf(sort: TokenSort, ao: ActiveObjects): string {
  const dir = sort.direction === 'asc' ? 'ASC' : 'DESC';
  const { column, nullable } = SORT_COLUMNS[sort.key];
  // MySQL and SQLite sort NULL first ascending and last descending; PostgreSQL the other way round unless told.
  const nulls = nullable && ao.dialect === 'postgres' ? (sort.direction === 'asc' ? ' NULLS FIRST' : ' NULLS LAST') : '';
  return `${column} ${dir}${nulls}, ${C.ID} ${dir}`;
}

function inList(values: readonly AoValue[]): string {
  return values.map(() => '?').join(', ');
}

/** {@link TokenStore} on Active Objects. */
export class AoTokenStore implements TokenStore {
  constructor(private readonly ao: ActiveObjects) {}

  async get(id: number): Promise<Token | null> {
    if (!isRowId(id)) return null;
    const row = await this.ao.get(E, id);
    return row ? toToken(row) : null;
  }

  async getByStringId(stringId: string): Promise<Token | null> {
    const row = await this.ao.findOne(E, { where: `${C.STRING_ID} = ?`, params: [stringId] });
    return row ? toToken(row) : null;
  }

  async findCredential(publicId: string): Promise<TokenCredential | null> {
    const row = await this.ao.findOne(E, { columns: CREDENTIAL_COLUMNS, where: `${C.PUBLIC_ID} = ?`, params: [publicId] });
    return row ? toCredential(row) : null;
  }

  async listByUser(userKey: string): Promise<Token[]> {
    const rows = await this.ao.find(E, { where: `${C.USER_KEY} = ?`, params: [userKey], order: `${C.CREATED} ASC, ${C.ID} ASC` });
    return rows.map(toToken);
  }

  countByUser(userKey: string): Promise<number> {
    return this.ao.count(E, { where: `${C.USER_KEY} = ?`, params: [userKey] });
  }

  async findByFilter(filter: TokenFilter, offset: number, limit: number): Promise<TokenPage> {
    const [tokens, total] = await Promise.all([this.findPageByFilter(filter, offset, limit), this.countByFilter(filter)]);
    return { tokens, total };
  }

  findPageByFilter(filter: TokenFilter, offset: number, limit: number): Promise<Token[]> {
    return this.findSortedPage(filter, DEFAULT_TOKEN_SORT, offset, limit);
  }

  async findSortedPage(filter: TokenFilter, sort: TokenSort, offset: number, limit: number): Promise<Token[]> {
    const { where, params } = buildWhere(filter, this.ao);
    const order = orderOf(sort, this.ao);
    // Deferred join: the page's ids come from the sort's (column, ID) index alone, so a deep
    // page skips index entries rather than whole rows; then only those rows are read.
    const idRows = await this.ao.find(E, { columns: [C.ID], where, params, order, offset, limit });
    if (idRows.length === 0) return [];
    const ids = idRows.map((r) => num(r[C.ID]));
    const rows = await this.ao.find(E, { where: `${C.ID} IN (${ids.map(() => '?').join(', ')})`, params: ids, order });
    return rows.map(toToken);
  }

  countByFilter(filter: TokenFilter): Promise<number> {
    const { where, params } = buildWhere(filter, this.ao);
    return this.ao.count(E, { where, params });
  }

  async countByFilterUpTo(filter: TokenFilter, cap: number): Promise<number> {
    if (this.ao.dialect === 'postgres') {
      // With the trigram index of TokenUpgradeTask005 and the statistics it brings, PostgreSQL
      // reads a common substring's first cap + 1 matches in table order and stops, and finds a
      // rare one through the trigrams; id ranges would read the trigram index once per range.
      const { where, params } = buildWhere(filter, this.ao);
      return (await this.ao.find(E, { columns: [C.ID], where, params, limit: cap + 1 })).length;
    }
    // Growing id ranges, stopping once more than `cap` matched. A single "… LIMIT cap + 1" was
    // planned as a scan of an index of the owner exclusion on MariaDB (575,000 lookups at
    // 1,000,000 tokens) and, ordered by ID, as a full parallel scan and sort on PostgreSQL.
    const seen = await this.countOverIdRanges(filter, COUNT_SLICE, (size) => Math.min(size * 2, MAX_UP_TO_SLICE), (total) => total > cap);
    return Math.min(seen, cap + 1);
  }

  /** `sliceIds`: ids per statement (tests take small slices to cross their boundaries). */
  countByFilterInSlices(filter: TokenFilter, sliceIds = COUNT_SLICE): Promise<number> {
    return this.countOverIdRanges(filter, sliceIds, (size) => size, () => false);
  }

  /**
   * Matches of `filter` counted over consecutive id ranges from the lowest id — each statement a
   * primary-key range scan whatever the planner thinks of the rest of the condition — with a turn
   * of the event loop between statements. The first range has `firstSize` ids, each next one
   * `nextSize(previous)`; counting stops early once `enough(total)`.
   */
  private async countOverIdRanges(filter: TokenFilter, firstSize: number, nextSize: (size: number) => number,
    enough: (total: number) => boolean): Promise<number> {
    const { where, params } = buildWhere(filter, this.ao);
    const [first, last] = await Promise.all([
      this.ao.findOne(E, { columns: [C.ID], where: '1 = 1', order: `${C.ID} ASC`, limit: 1 }),
      this.ao.findOne(E, { columns: [C.ID], where: '1 = 1', order: `${C.ID} DESC`, limit: 1 }),
    ]);
    if (!first || !last) return 0;
    const min = num(first[C.ID]);
    const max = num(last[C.ID]);
    let total = 0;
    for (let from = min, size = firstSize; from <= max && !enough(total); from += size, size = nextSize(size)) {
      if (from > min) await nextTurn();
      total += await this.ao.count(E, { where: `${C.ID} >= ? AND ${C.ID} < ? AND (${where})`, params: [from, from + size, ...params] });
    }
    return total;
  }

  async findSortedAfter(filter: TokenFilter, sort: TokenSort, after: Token | null, limit: number): Promise<Token[]> {
    const { column, nullable } = SORT_COLUMNS[sort.key];
    const asc = sort.direction === 'asc';
    const op = asc ? '>' : '<';
    const dir = asc ? 'ASC' : 'DESC';
    const base = buildWhere(filter, this.ao);
    const value = after === null ? null : sortValue(after, sort.key);
    // NULL sorts first ascending and last descending (orderOf): a nullable column is read in
    // two phases, each an index range (an OR with IS NULL would not be one).
    const phases: ReadonlyArray<'null' | 'value'> = !nullable ? ['value'] : asc ? ['null', 'value'] : ['value', 'null'];
    const first = after === null ? 0 : phases.indexOf(value === null ? 'null' : 'value');
    const out: Token[] = [];
    for (let p = first; p < phases.length && out.length < limit; p++) {
      const cursor = p === first ? after : null;
      const parts = [base.where];
      const params = [...base.params];
      let order: string;
      if (phases[p] === 'null') {
        parts.push(`${column} IS NULL`);
        if (cursor) { parts.push(`${C.ID} ${op} ?`); params.push(cursor.id); }
        order = `${C.ID} ${dir}`;
      } else {
        if (nullable) parts.push(`${column} IS NOT NULL`);
        // The bound alone on the column keeps it an index range; the OR then skips the ties already read.
        if (cursor) { parts.push(`${column} ${op}= ?`, `(${column} ${op} ? OR (${column} = ? AND ${C.ID} ${op} ?))`); params.push(value, value, value, cursor.id); }
        order = `${column} ${dir}, ${C.ID} ${dir}`;
      }
      const rows = await this.ao.find(E, { where: parts.join(' AND '), params, order, limit: limit - out.length });
      for (const row of rows) out.push(toToken(row));
    }
    return out;
  }

  async findIdsByFilter(filter: TokenFilter, afterId: number, limit: number): Promise<number[]> {
    const { where, params } = buildWhere(filter, this.ao);
    const rows = await this.ao.find(E, { columns: [C.ID], where: `${where} AND ${C.ID} > ?`, params: [...params, afterId], order: `${C.ID} ASC`, limit });
    return rows.map((r) => num(r[C.ID]));
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

  async findCredentials(publicIds: readonly string[]): Promise<TokenCredential[]> {
    const out: TokenCredential[] = [];
    for (let i = 0; i < publicIds.length; i += IN_CHUNK) {
      const chunk = publicIds.slice(i, i + IN_CHUNK);
      for (const row of await this.ao.find(E, { columns: CREDENTIAL_COLUMNS, where: `${C.PUBLIC_ID} IN (${inList(chunk)})`, params: chunk })) out.push(toCredential(row));
    }
    return out;
  }

  findRetiredCredentials(publicIds: readonly string[]): Promise<RetiredCredential[]> {
    return findRetiredCredentials(this.ao, publicIds);
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
      await tx.lock(`apitokenauth:tokens:${quotaKey}`);
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

  updateLimits(id: number, limits: TokenLimits): Promise<Token | null> {
    return this.ao.executeInTransaction(async (tx) => {
      const row = await lockedRow(tx, id);
      if (!row) return null;
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
      return updated ? toToken(updated) : null;
    });
  }

  async rotate(id: number, credential: RotatedCredential): Promise<RotateResult> {
    const rotated = await this.rotateRow(id, credential);
    if (!rotated) return { ok: false, reason: 'NOT_FOUND' };
    const issuer = credential.issuedVia;
    if (issuer === null || issuer === id || await this.get(issuer) !== null) return { ok: true, ...rotated };
    // As in insert: the issuer's deletion may have swept before this commit, so the token goes here.
    return { ok: false, reason: 'ISSUER_GONE', previousPublicId: rotated.previousPublicId, deleted: await this.deleteWithIssued([id]) };
  }

  private rotateRow(id: number, credential: RotatedCredential): Promise<{ token: Token; previousPublicId: string } | null> {
    return this.ao.executeInTransaction(async (tx) => {
      const row = await lockedRow(tx, id);
      if (!row) return null;
      const changed = await tx.update(E, {
        [C.PUBLIC_ID]: credential.publicId,
        [C.SALT]: credential.salt.toString('hex'),
        [C.HASH]: credential.hash.toString('hex'),
        [C.VERSION]: num(row[C.VERSION]) + 1,
        [C.ISSUED_VIA]: credential.issuedVia,
        [C.ISSUED_TO]: credential.issuedTo,
        // A new expiry (regenerate = renew) re-arms the expiry warnings.
        ...(credential.validUntil === undefined ? {} : { [C.VALID_UNTIL]: credential.validUntil, [C.NOTIFICATION_STATE]: null }),
      }, `${C.ID} = ?`, [id]);
      // After the update, which holds the row: a deletion (which takes no token lock) either
      // removed the row first (nothing to keep) or waits and then deletes this retired row too.
      if (changed === 0) return null;
      if (credential.retiredVia) await retireSecret(tx, row, credential.retiredVia.at, credential.retiredVia.tokenId);
      const updated = await tx.get(E, id);
      return updated ? { token: toToken(updated), previousPublicId: String(row[C.PUBLIC_ID]) } : null;
    });
  }

  async delete(id: number): Promise<boolean> {
    return (await this.ao.executeInTransaction((tx) => deleteByIds(tx, [id]))).length > 0;
  }

  async deleteAllForUser(userKey: string): Promise<Token[]> {
    const deleted = await this.ao.executeInTransaction(async (tx) => {
      const rows = await tx.find(E, { where: `${C.USER_KEY} = ?`, params: [userKey] });
      if (rows.length === 0) return [];
      await tx.deleteWithSQL(E, `${C.USER_KEY} = ?`, [userKey]);
      const own = rows.map(toToken);
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

  async recordLastAccess(updates: readonly LastAccessUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    const set = lastAccessMerge(this.ao);
    // Off the request thread: on SQLite a flush of many tokens would otherwise stop requests for
    // its statements and its commit.
    await this.ao.executeInBackgroundTransaction(async (tx) => {
      // Ascending ids: every node's flush locks rows in the same order (no deadlock between nodes).
      for await (const chunk of ascendingChunks(updates, LAST_ACCESS_CHUNK)) {
        await tx.updateMany(E, LAST_ACCESS_VALUES, chunk.map((u) => [u.tokenId, u.lastAccessed, u.lastIp, u.useCountDelta]), set);
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
/** Deletes the rows with these ids; returns the ones that existed. */
async function deleteByIds(tx: ActiveObjects, ids: readonly number[]): Promise<Token[]> {
  const deleted: Token[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) {
    const chunk = ids.slice(i, i + IN_CHUNK);
    const rows = await tx.find(E, { where: `${C.ID} IN (${inList(chunk)})`, params: chunk });
    // Also when nothing matched: the revocation API runs the same statements for any input.
    await tx.deleteWithSQL(E, `${C.ID} IN (${inList(chunk)})`, chunk);
    for (const row of rows) deleted.push(toToken(row));
  }
  // A string id no token has when nothing matched: the revocation API runs the same statements for any input.
  await forgetRetiredSecrets(tx, deleted.length > 0 ? deleted.map((t) => t.stringId) : ['-']);
  return deleted;
}

/**
 * Deletes the tokens issued through these (ISSUED_VIA), then those issued through them, until
 * none is left. Ends on cycles too (a token regenerated through one issued through it): every
 * round deletes what it found, so nothing is found twice.
 */
async function deleteIssuedThrough(tx: ActiveObjects, parentIds: readonly number[]): Promise<Token[]> {
  const deleted: Token[] = [];
  let parents = parentIds;
  while (parents.length > 0) {
    const found: Token[] = [];
    for (let i = 0; i < parents.length; i += IN_CHUNK) {
      const chunk = parents.slice(i, i + IN_CHUNK);
      const rows = await tx.find(E, { where: `${C.ISSUED_VIA} IN (${inList(chunk)})`, params: chunk });
      if (rows.length === 0) continue;
      await tx.deleteWithSQL(E, `${C.ISSUED_VIA} IN (${inList(chunk)})`, chunk);
      for (const row of rows) found.push(toToken(row));
    }
    await forgetRetiredSecrets(tx, found.map((t) => t.stringId));
    deleted.push(...found);
    parents = found.map((t) => t.id);
  }
  return deleted;
}

/**
 * Pruning (no revocation), inside `tx`: deletes the tokens with these ids (and their retired
 * secrets); what was issued through them stays and loses the link, so that no id of a token gone
 * names its origin (a regeneration would take it for a revocation under way, see
 * AoTokenStore.rotate). Shared with the maintenance store. Returns what it deleted.
 */
export async function pruneByIds(tx: ActiveObjects, ids: readonly number[]): Promise<Token[]> {
  const deleted = await deleteByIds(tx, ids);
  const gone = deleted.map((t) => t.id);
  for (let i = 0; i < gone.length; i += IN_CHUNK) {
    const chunk = gone.slice(i, i + IN_CHUNK);
    await tx.update(E, { [C.ISSUED_VIA]: null }, `${C.ISSUED_VIA} IN (${inList(chunk)})`, chunk);
  }
  return deleted;
}

async function lockedRow(tx: ActiveObjects, id: number): Promise<AoRow | null> {
  await tx.lock(`apitokenauth:token:${id}`);
  return tx.get(E, id);
}
