import type { Clock } from '../../host-sim/spi';
import type { TokenFilter } from '../ao/TokenStore';
import type { InvalidationBus } from './InvalidationBus';

/** How long a count may be reused; last-access times are themselves flushed only every 60 s. */
export const FILTER_COUNT_TTL_MS = 60_000;
const MAX_ENTRIES = 256;

/**
 * Per-node cache of `tokensByFilter` totals by filter. An exact COUNT over a million rows with
 * a substring filter scans every row (hundreds of ms on MariaDB) while the page itself stops
 * after 50 matches; an admin paging through one filter should pay the count once, not per
 * page. Any token change on any node (create, rotate, delete, prune — all published on the
 * invalidation bus) empties the cache, so a count is never older than the last change; only
 * last-access ranges can lag, by at most the TTL, as last access itself does.
 */
export class FilterCountCache {
  private readonly entries = new Map<string, { readonly total: number; readonly at: number }>();
  private generation = 0;

  constructor(bus: InvalidationBus, private readonly clock: Clock) {
    bus.subscribe((inv) => {
      if (inv.kind === 'tokens' || inv.kind === 'all' || inv.kind === 'user') this.clear();
    });
  }

  async get(filter: TokenFilter, count: () => Promise<number>): Promise<number> {
    const key = JSON.stringify(filter);
    const hit = this.entries.get(key);
    const now = this.clock.now();
    if (hit && now - hit.at < FILTER_COUNT_TTL_MS && now >= hit.at) return hit.total;
    const generation = this.generation;
    const total = await count();
    // A change while counting may have made this total stale: use it, but do not keep it.
    if (generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, { total, at: now });
    }
    return total;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
