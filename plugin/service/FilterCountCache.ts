import type { Clock } from '../../host-sim/spi';
import type { TokenFilter } from '../ao/TokenStore';
import type { InvalidationBus } from './InvalidationBus';

/** How long a count may be reused; last-access times are themselves flushed only every 60 s. */
export const FILTER_COUNT_TTL_MS = 60_000;
const MAX_ENTRIES = 256;
/** Exact counts of scanning filters running at once on a node (each reads every row). */
export const MAX_BACKGROUND_COUNTS = 2;

/** A total that may be only a lower bound (`exact: false`: at least `total`). */
export interface BoundedTotal {
  readonly total: number;
  readonly exact: boolean;
}

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
  /** Filters whose exact count is running in the background. */
  private readonly background = new Set<string>();

  constructor(bus: InvalidationBus, private readonly clock: Clock) {
    bus.subscribe((inv) => {
      if (inv.kind === 'tokens' || inv.kind === 'all' || inv.kind === 'user') this.clear();
    });
  }

  async get(filter: TokenFilter, count: () => Promise<number>): Promise<number> {
    const key = JSON.stringify(filter);
    const hit = this.fresh(key);
    if (hit !== undefined) return hit;
    const now = this.clock.now();
    const generation = this.generation;
    const total = await count();
    // A change while counting may have made this total stale: use it, but do not keep it.
    if (generation === this.generation) this.keep(key, total, now);
    return total;
  }

  private fresh(key: string): number | undefined {
    const hit = this.entries.get(key);
    const now = this.clock.now();
    return hit && now - hit.at < FILTER_COUNT_TTL_MS && now >= hit.at ? hit.total : undefined;
  }

  private keep(key: string, total: number, at: number): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { total, at });
  }

  /**
   * The total for a filter that has to scan rows (a description substring): exact when cached or
   * when it has at most `cap` matches; otherwise `cap + 1` as a lower bound, while the exact count
   * (`count`: one that yields to the event loop while it scans) runs in the background (one per
   * filter, at most {@link MAX_BACKGROUND_COUNTS} per node) and serves the next request. So the first page of a common substring never waits for a scan of
   * every row. `answered`: what the answer waits for besides this total (the page's rows).
   */
  async bounded(filter: TokenFilter, cap: number, countUpTo: (cap: number) => Promise<number>, count: () => Promise<number>,
    answered: Promise<unknown> = Promise.resolve()): Promise<BoundedTotal> {
    const key = JSON.stringify(filter);
    const hit = this.fresh(key);
    if (hit !== undefined) return { total: hit, exact: true };
    const generation = this.generation;
    const now = this.clock.now();
    const seen = await countUpTo(cap);
    if (seen <= cap) {
      if (generation === this.generation) this.keep(key, seen, now);
      return { total: seen, exact: true };
    }
    if (!this.background.has(key) && this.background.size < MAX_BACKGROUND_COUNTS) {
      this.background.add(key);
      // Started once the rest of the answer (`answered`: the page) is ready and written, in a
      // later turn: on SQLite's synchronous driver the count's first statement would otherwise
      // run before the response goes out. A failed background count leaves nothing behind: the
      // next request counts again.
      const start = () => setImmediate(() => {
        void this.get(filter, count).catch(() => undefined).finally(() => this.background.delete(key));
      });
      answered.then(start, start);
    }
    return { total: seen, exact: false };
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}
