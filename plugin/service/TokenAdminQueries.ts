import type { Clock } from '../../host-sim/spi';
import type { Token } from '../ao/Token';
import type { TokenFilter, TokenPage, TokenSort, TokenStore } from '../ao/TokenStore';
import { ApiError } from '../errors/ApiError';
import type { Actor } from './Actor';
import { FilterCountCache } from './FilterCountCache';
import type { InvalidationBus } from './InvalidationBus';
import type { PermissionService } from './PermissionService';
import type { SettingsService } from './SettingsService';
import { requireNotRunningAs, TokenPrivileges } from './TokenPrivileges';

/** Matches a description-substring total is counted to before the first answer (see {@link TokenAdminQueries.page}). */
export const SUBSTRING_COUNT_CAP = 1000;

/** A page of `tokensByFilter`; `totalExact: false` makes `total` a lower bound. */
export interface AdminTokenPage extends TokenPage {
  readonly totalExact: boolean;
}

/** Rows per database read of an export: a few hundred KB of tokens in memory at a time. */
export const EXPORT_CHUNK = 1000;

export interface TokenAdminDeps {
  readonly store: TokenStore;
  readonly permissions: PermissionService;
  readonly settings: SettingsService;
  readonly bus: InvalidationBus;
  readonly clock: Clock;
}

/**
 * Everyone's tokens as an administrator sees them (`tokensByFilter`): sorted pages and the
 * export of every matching row. The on-behalf permission is needed, no request running as
 * another user gets anything, and tokens of owners ranked above the caller (and user-less
 * tokens, for anyone but system admins) are left out in the query itself (docs/api.md "What a
 * token may do"), so totals, pages and exports count only what the caller may see.
 */
export class TokenAdminQueries {
  private readonly privileges: TokenPrivileges;
  private readonly counts: FilterCountCache;

  constructor(private readonly d: TokenAdminDeps) {
    this.privileges = new TokenPrivileges(d);
    this.counts = new FilterCountCache(d.bus, d.clock);
  }

  /** `requested` narrowed to what the actor may see; 403 without the on-behalf permission. */
  async visibleFilter(actor: Actor, requested: TokenFilter): Promise<TokenFilter> {
    requireNotRunningAs(actor);
    if (!(await this.d.permissions.mayManageOthers(actor.user.key))) throw new ApiError('ON_BEHALF_REQUIRED');
    return this.privileges.visibleFilter(actor, requested);
  }

  /**
   * One page in `sort` order and the total (counted once per filter and node until a token
   * changes). With a description substring the first answer may carry a lower bound instead
   * (`totalExact: false`, more than {@link SUBSTRING_COUNT_CAP} matches) while the exact count
   * runs for the next request: such a count reads every row.
   */
  async page(actor: Actor, requested: TokenFilter, sort: TokenSort, page: number, limit: number): Promise<AdminTokenPage> {
    const filter = await this.visibleFilter(actor, requested);
    const store = this.d.store;
    const count = () => store.countByFilter(filter);
    const rows = store.findSortedPage(filter, sort, page * limit, limit);
    const [tokens, counted] = await Promise.all([
      rows,
      filter.descriptionContains
        ? this.counts.bounded(filter, SUBSTRING_COUNT_CAP, (cap) => store.countByFilterUpTo(filter, cap), () => store.countByFilterInSlices(filter), rows)
        : this.counts.get(filter, count).then((total) => ({ total, exact: true })),
    ]);
    return { tokens, total: counted.total, totalExact: counted.exact };
  }

  /**
   * Every matching token in `sort` order, {@link EXPORT_CHUNK} at a time (keyset paging: each
   * chunk continues where the last ended). The permission is checked before the first chunk;
   * call it before sending anything, so that a refusal is still an ordinary error answer.
   */
  async exportChunks(actor: Actor, requested: TokenFilter, sort: TokenSort): Promise<AsyncIterable<readonly Token[]>> {
    const filter = await this.visibleFilter(actor, requested);
    const store = this.d.store;
    return {
      async* [Symbol.asyncIterator]() {
        let after: Token | null = null;
        for (;;) {
          const chunk = await store.findSortedAfter(filter, sort, after, EXPORT_CHUNK);
          if (chunk.length === 0) return;
          yield chunk;
          if (chunk.length < EXPORT_CHUNK) return;
          after = chunk[chunk.length - 1];
        }
      },
    };
  }
}
