import type { ActiveObjects, AoValue } from '../../host-sim/spi';
import { storable } from './exactText';
import { TOKEN_ENTITY as E, TokenColumns as C } from './TokenEntity';
import type { Token } from './Token';
import { IN_CHUNK, nextTurn, num, toToken } from './tokenRows';
import type { TokenFilter, TokenSort, TokenSortKey } from './TokenStore';

/** Escapes `%`, `_` and the escape character itself for `LIKE … ESCAPE '!'` (portable: no backslash). */
function likeContains(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

function buildWhere(filter: TokenFilter, ao: ActiveObjects): { where: string; params: AoValue[] } {
  const parts: string[] = [];
  const params: AoValue[] = [];
  const add = (sql: string, ...values: AoValue[]) => { parts.push(sql); params.push(...values); };
  if (filter.userKeys && filter.userKeys.length > 0) {
    const userKeys = storable(filter.userKeys);
    // Keys that name no one leave a filter that matches nothing, never one that matches everyone.
    if (userKeys.length === 0) add('1 = 0');
    else add(`${C.USER_KEY} IN (${userKeys.map(() => '?').join(', ')})`, ...userKeys);
  }
  // Inside a function call AO does not quote the column (PostgreSQL would look for "description").
  // No description holds a NUL (the description rule refuses control characters), and SQLite's
  // LIKE reads its pattern only up to one ("%ci\0x%" is "%ci", "%\0%" is "%"): such a filter
  // matches nothing, never more — as on MariaDB and PostgreSQL (black-box review of 2026-12-05).
  if (filter.descriptionContains?.includes('\u0000')) add('1 = 0');
  else if (filter.descriptionContains) add(`LOWER(${ao.quote(C.DESCRIPTION)}) LIKE ? ESCAPE '!'`, likeContains(filter.descriptionContains));
  if (filter.notValidAfter !== undefined) add(`${C.VALID_UNTIL} <= ?`, filter.notValidAfter);
  if (filter.scope !== undefined) add(`${C.SCOPE} = ?`, filter.scope);
  if (filter.createdFrom !== undefined) add(`${C.CREATED} >= ?`, filter.createdFrom);
  if (filter.createdUntil !== undefined) add(`${C.CREATED} <= ?`, filter.createdUntil);
  if (filter.lastUsedFrom !== undefined) add(`${C.LAST_ACCESSED} >= ?`, filter.lastUsedFrom);
  if (filter.lastUsedUntil !== undefined) add(`${C.LAST_ACCESSED} <= ?`, filter.lastUsedUntil);
  if (filter.expiresFrom !== undefined) add(`${C.VALID_UNTIL} >= ?`, filter.expiresFrom);
  if (filter.expiresUntil !== undefined) add(`${C.VALID_UNTIL} <= ?`, filter.expiresUntil);
  if (filter.excludeUserless) add(`${C.USER_KEY} IS NOT NULL`);
  if (filter.excludeOwnerGone) add(`${C.OWNER_GONE} IS NULL`);
  const excluded = filter.excludeUserKeys ?? [];
  for (let i = 0; i < excluded.length; i += IN_CHUNK) {
    const chunk = excluded.slice(i, i + IN_CHUNK);
    // NOT IN is never true for a NULL key: user-less tokens stay unless excludeUserless says otherwise.
    add(`(${C.USER_KEY} IS NULL OR ${C.USER_KEY} NOT IN (${chunk.map(() => '?').join(', ')}))`, ...chunk);
  }
  return { where: parts.length > 0 ? parts.join(' AND ') : '1 = 1', params };
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

/**
 * Ids per statement of {@link AoTokenFilterQueries.countByFilterInSlices}: on SQLite a description
 * substring over 10,000 rows takes ~5 ms from the page cache, ~25 ms from a cold one.
 */
const COUNT_SLICE = 10_000;
/** Largest id range of one statement of {@link AoTokenFilterQueries.countByFilterUpTo} (a larger one may be planned as another index's scan). */
const MAX_UP_TO_SLICE = 160_000;

/**
 * The administrators' token searches of {@link TokenStore} (filter, sort, keyset and offset pages,
 * counts) on Active Objects: each statement an index range of the sort's `(column, ID)` index or
 * of the primary key, whatever the planner thinks of the rest of the condition.
 */
export class AoTokenFilterQueries {
  constructor(private readonly ao: ActiveObjects) {}

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
}
