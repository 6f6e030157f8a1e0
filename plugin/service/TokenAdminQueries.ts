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

  /** One page in `sort` order and the total (counted once per filter and node until a token changes). */
  async page(actor: Actor, requested: TokenFilter, sort: TokenSort, page: number, limit: number): Promise<TokenPage> {
    const filter = await this.visibleFilter(actor, requested);
    const [tokens, total] = await Promise.all([
      this.d.store.findSortedPage(filter, sort, page * limit, limit),
      this.counts.get(filter, () => this.d.store.countByFilter(filter)),
    ]);
    return { tokens, total };
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
