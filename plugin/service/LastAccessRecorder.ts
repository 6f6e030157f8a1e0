import type { Logger } from '../../host-sim/spi';
import type { LastAccessUpdate, TokenStore } from '../ao/TokenStore';

interface Pending {
  lastAccessed: number;
  lastIp: string;
  useCountDelta: number;
}

/**
 * Collects token uses in memory (latest time and IP, and a use-count delta per token) and
 * writes them in one batch per flush. Flushes merge with MAX semantics, so nodes never move
 * a last-access time backwards; nothing is written per request.
 */
export class LastAccessRecorder {
  private pending = new Map<number, Pending>();
  private flushing: Promise<void> | null = null;

  constructor(private readonly store: TokenStore, private readonly logger: Logger, private readonly maxPending = 200000) {}

  record(tokenId: number, at: number, ip: string): void {
    const entry = this.pending.get(tokenId);
    if (entry) {
      if (at >= entry.lastAccessed) { entry.lastAccessed = at; entry.lastIp = ip; }
      entry.useCountDelta++;
      return;
    }
    if (this.pending.size >= this.maxPending) return; // a flush is overdue; keep memory bounded
    this.pending.set(tokenId, { lastAccessed: at, lastIp: ip, useCountDelta: 1 });
  }

  /** Not yet flushed data of a token on this node (to show fresh values in listings). */
  pendingFor(tokenId: number): Readonly<Pending> | undefined {
    return this.pending.get(tokenId);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Writes everything collected so far; on failure it is kept (merged) for the next flush. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = this.doFlush().finally(() => { this.flushing = null; });
    return this.flushing;
  }

  private async doFlush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const updates: LastAccessUpdate[] = [...batch].map(([tokenId, p]) => ({ tokenId, ...p }));
    try {
      await this.store.recordLastAccess(updates);
      this.logger.debug('Flushed last-access data', { tokens: updates.length });
    } catch (err) {
      for (const [tokenId, p] of batch) {
        const now = this.pending.get(tokenId);
        if (!now) { this.pending.set(tokenId, p); continue; }
        if (p.lastAccessed > now.lastAccessed) { now.lastAccessed = p.lastAccessed; now.lastIp = p.lastIp; }
        now.useCountDelta += p.useCountDelta;
      }
      this.logger.warn('Could not flush last-access data; will retry', { tokens: updates.length, error: String(err) });
      throw err;
    }
  }
}
