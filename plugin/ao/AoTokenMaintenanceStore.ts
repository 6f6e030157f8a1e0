import type { ActiveObjects, AoValue } from '../../host-sim/spi';
import { pruneByIds } from './tokenDeletion';
import { IN_CHUNK, inList, tokenLock, toToken } from './tokenRows';
import type { Token } from './Token';
import { TOKEN_ENTITY as E, TokenColumns as C } from './TokenEntity';
import type { ExpiryCursor, PruneRule, TokenMaintenanceStore } from './TokenMaintenanceStore';

const PRUNE_LOCK = 'apitokenauth:prune';

/** A condition "column equals the expected value", NULL-safe in both dialects. */
function equalsOrNull(column: string, expected: string | null): { sql: string; params: AoValue[] } {
  return expected === null ? { sql: `${column} IS NULL`, params: [] } : { sql: `${column} = ?`, params: [expected] };
}

/** Last used before the cutoff, or never used and created before it, and not regenerated since (three `?`: the cutoff thrice). */
function unused(): string {
  return `((${C.LAST_ACCESSED} > 0 AND ${C.LAST_ACCESSED} < ?) OR (${C.LAST_ACCESSED} = 0 AND ${C.CREATED} < ?)) AND (${C.RENEWED} IS NULL OR ${C.RENEWED} < ?)`;
}

/** The conditions of `rule`, as the queries that found the tokens wrote them ('1 = 1': none). */
function ruleWhere(rule: PruneRule): { sql: string; params: AoValue[] } {
  const parts: string[] = [];
  const params: AoValue[] = [];
  if (rule.expiredBefore !== undefined) {
    parts.push(`${C.VALID_UNTIL} < ?`);
    params.push(rule.expiredBefore);
  }
  if (rule.unusedSince !== undefined) {
    parts.push(`(${unused()})`);
    params.push(rule.unusedSince, rule.unusedSince, rule.unusedSince);
  }
  return { sql: parts.length > 0 ? parts.join(' AND ') : '1 = 1', params };
}

/** {@link TokenMaintenanceStore} on Active Objects (row mapping shared with {@link AoTokenStore}). */
export class AoTokenMaintenanceStore implements TokenMaintenanceStore {
  constructor(private readonly ao: ActiveObjects) {}

  async findExpiringBetween(from: number, until: number, after: ExpiryCursor | null, limit: number): Promise<Token[]> {
    const params: AoValue[] = [from, until];
    let where = `${C.USER_KEY} IS NOT NULL AND ${C.VALID_UNTIL} >= ? AND ${C.VALID_UNTIL} <= ?`;
    if (after) {
      where += ` AND (${C.VALID_UNTIL} > ? OR (${C.VALID_UNTIL} = ? AND ${C.ID} > ?))`;
      params.push(after.validUntil, after.validUntil, after.id);
    }
    const rows = await this.ao.find(E, { where, params, order: `${C.VALID_UNTIL} ASC, ${C.ID} ASC`, limit });
    return rows.map(toToken);
  }

  async compareAndSetNotificationState(id: number, expected: string | null, next: string, validUntil: number): Promise<boolean> {
    const cond = equalsOrNull(C.NOTIFICATION_STATE, expected);
    return (await this.ao.update(E, { [C.NOTIFICATION_STATE]: next }, `${C.ID} = ? AND ${cond.sql} AND ${C.VALID_UNTIL} = ?`, [id, ...cond.params, validUntil])) > 0;
  }

  async compareAndSetKnownIps(id: number, expected: string | null, next: string): Promise<boolean> {
    const cond = equalsOrNull(C.KNOWN_IPS, expected);
    return (await this.ao.update(E, { [C.KNOWN_IPS]: next }, `${C.ID} = ? AND ${cond.sql}`, [id, ...cond.params])) > 0;
  }

  async getMany(ids: readonly number[]): Promise<Token[]> {
    const out: Token[] = [];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const chunk = ids.slice(i, i + IN_CHUNK);
      const rows = await this.ao.find(E, { where: `${C.ID} IN (${inList(chunk)})`, params: chunk });
      out.push(...rows.map(toToken));
    }
    return out;
  }

  async findExpiredBefore(cutoff: number, limit: number): Promise<number[]> {
    const rows = await this.ao.find(E, {
      where: `${C.VALID_UNTIL} < ? AND ${this.offspring(false)}`, params: [cutoff], order: `${C.VALID_UNTIL} ASC, ${C.ID} ASC`, limit,
    });
    return rows.map((r) => Number(r[C.ID]));
  }

  async findUnusedSince(cutoff: number, limit: number): Promise<number[]> {
    const rows = await this.ao.find(E, {
      where: `(${unused()}) AND ${this.offspring(false)}`, params: [cutoff, cutoff, cutoff], order: `${C.ID} ASC`, limit,
    });
    return rows.map((r) => Number(r[C.ID]));
  }

  async findUnusedIssuersSince(cutoff: number, now: number, limit: number): Promise<number[]> {
    const rows = await this.ao.find(E, {
      where: `(${unused()}) AND ${C.VALID_UNTIL} > ? AND ${this.offspring(true)}`, params: [cutoff, cutoff, cutoff, now], order: `${C.ID} ASC`, limit,
    });
    return rows.map((r) => Number(r[C.ID]));
  }

  async markOwnerGone(userKeys: readonly string[], at: number): Promise<number> {
    let marked = 0;
    for (let i = 0; i < userKeys.length; i += IN_CHUNK) {
      const chunk = userKeys.slice(i, i + IN_CHUNK);
      marked += await this.ao.update(E, { [C.OWNER_GONE]: at }, `${C.USER_KEY} IN (${inList(chunk)}) AND ${C.OWNER_GONE} IS NULL`, chunk);
    }
    return marked;
  }

  async withoutOffspring(ids: readonly number[]): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const chunk = ids.slice(i, i + IN_CHUNK);
      const rows = await this.ao.find(E, { columns: [C.ID], where: `${C.ID} IN (${inList(chunk)}) AND ${this.offspring(false)}`, params: chunk });
      out.push(...rows.map((r) => Number(r[C.ID])));
    }
    return out;
  }

  expireNow(ids: readonly number[], now: number, rule: PruneRule = {}): Promise<Token[]> {
    if (ids.length === 0) return Promise.resolve([]);
    const still = ruleWhere(rule);
    return this.ao.executeInTransaction(async (tx) => {
      await tx.lock(PRUNE_LOCK);
      const expired: Token[] = [];
      for (let i = 0; i < ids.length; i += IN_CHUNK) {
        const chunk = ids.slice(i, i + IN_CHUNK);
        const rows = await tx.find(E, { where: `${C.ID} IN (${inList(chunk)}) AND ${C.VALID_UNTIL} > ? AND ${still.sql}`, params: [...chunk, now, ...still.params] });
        for (const row of rows) {
          await tx.update(E, { [C.VALID_UNTIL]: now, [C.VERSION]: Number(row[C.VERSION]) + 1 }, `${C.ID} = ?`, [row[C.ID]]);
          expired.push(toToken({ ...row, [C.VALID_UNTIL]: now }));
        }
      }
      return expired;
    });
  }

  /** `[NOT] EXISTS` a token issued through the row (its ISSUED_VIA names it), quoted for every database. */
  private offspring(exists: boolean): string {
    const q = (name: string) => this.ao.quote(name);
    const table = q(this.ao.tableName(E));
    return `${exists ? '' : 'NOT '}EXISTS (SELECT 1 FROM ${table} issued WHERE issued.${q(C.ISSUED_VIA)} = ${table}.${q(C.ID)})`;
  }

  async scanOwned(afterId: number, limit: number): Promise<Token[]> {
    const rows = await this.ao.find(E, { where: `${C.ID} > ? AND ${C.USER_KEY} IS NOT NULL`, params: [afterId], order: `${C.ID} ASC`, limit });
    return rows.map(toToken);
  }

  async findIdsByUser(userKey: string): Promise<number[]> {
    const rows = await this.ao.find(E, { where: `${C.USER_KEY} = ?`, params: [userKey], order: `${C.ID} ASC` });
    return rows.map((r) => Number(r[C.ID]));
  }

  deleteMany(ids: readonly number[], rule: PruneRule = {}): Promise<Token[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.ao.executeInTransaction(async (tx) => {
      // Serialises pruning across nodes: the second node finds the rows already gone.
      await tx.lock(PRUNE_LOCK);
      const sorted = [...new Set(ids)].sort((a, b) => a - b);
      // Ascending, as a regeneration through a token takes its two: then the rows are read as the
      // last change of each left them (on MariaDB the snapshot starts after these locks).
      for (const id of sorted) await tx.lock(tokenLock(id));
      const still = ruleWhere(rule);
      const prunable: number[] = [];
      for (let i = 0; i < sorted.length; i += IN_CHUNK) {
        const chunk = sorted.slice(i, i + IN_CHUNK);
        const rows = await tx.find(E, {
          columns: [C.ID], where: `${C.ID} IN (${inList(chunk)}) AND ${still.sql} AND ${this.offspring(false)}`, params: [...chunk, ...still.params],
        });
        prunable.push(...rows.map((row) => Number(row[C.ID])));
      }
      return pruneByIds(tx, prunable);
    });
  }
}
