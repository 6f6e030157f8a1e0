import type { Logger } from '../../host-sim/spi';
import type { TokenStore } from '../ao/TokenStore';

/** A token's uses since the last flush (its own update: a flush hands them over without copying). */
interface Pending {
  readonly tokenId: number;
  lastAccessed: number;
  lastIp: string;
  useCountDelta: number;
  /** The latest use this node audited (epoch ms; 0: none since the last flush) and its IP. */
  auditedAt: number;
  auditedIp: string;
}

export interface LastAccessRecorderOptions {
  /** Pending tokens that start a flush before the job's next run (default 500,000). */
  readonly flushAt?: number;
  /** Pending tokens kept at most while flushes fail (default 1,000,000); uses beyond are dropped and counted. */
  readonly maxPending?: number;
}

/**
 * ~118 B of heap per pending token, so at most ~56 MiB here. Not lower: what a flush costs is the
 * rows it writes and the pages they sit on, and both shrink when a token's uses are collected for
 * longer. Flushed at 100,000 pending instead, requests spread over 1,000,000 tokens wrote ~0.95
 * rows per request, each ~26 µs of SQLite's CPU (a page rewritten for every ~1.6 rows); at
 * 500,000, ~0.72 rows per request at ~9.5 µs (bench/micro/lastAccessRowCost.ts; bench/README.md,
 * tuning log).
 */
export const DEFAULT_FLUSH_AT = 500_000;
export const DEFAULT_MAX_PENDING = 1_000_000;
/** Pause of early flushes after one failed (ms). */
const EARLY_RETRY_PAUSE_MS = 5000;
/** Attempts of the final flush on close (each after the previous failed). */
const CLOSE_ATTEMPTS = 3;

/**
 * Collects token uses in memory (latest time and IP, and a use-count delta per token) and
 * writes them in one transaction per flush, as multi-row statements (see
 * {@link TokenStore.recordLastAccess}). Flushes merge with MAX semantics, so nodes never move a
 * last-access time backwards; nothing is written per request. Flushed by the job every interval,
 * early when many tokens are pending, and on close (plugin disabled, host stopping): a SIGKILL
 * loses at most what one interval collected.
 */
export class LastAccessRecorder {
  private pending = new Map<number, Pending>();
  private flushing: Promise<void> | null = null;
  private closed = false;
  private dropped = 0;
  /** After a failed flush, no early flush before this time (the job and close still try). */
  private retryAfter = 0;
  private readonly flushAt: number;
  private readonly maxPending: number;
  /**
   * The client IP text stored last. A request's own string of the same text is not kept: held by
   * an entry until the flush, every such string outlived two young-generation collections and was
   * copied into the old generation (one per request while many tokens are in use).
   */
  private lastIpStored = '';

  constructor(private readonly store: TokenStore, private readonly logger: Logger, options: LastAccessRecorderOptions = {}) {
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.flushAt = Math.min(options.flushAt ?? DEFAULT_FLUSH_AT, this.maxPending);
  }

  /** A use of the token at `at` from `requestIp`; `audited`: it gets a `token used` event (kept on the row for other nodes' sampling). */
  record(tokenId: number, at: number, requestIp: string, audited = false): void {
    const ip = requestIp === this.lastIpStored ? this.lastIpStored : (this.lastIpStored = requestIp);
    const entry = this.pending.get(tokenId);
    if (entry) {
      if (at >= entry.lastAccessed) { entry.lastAccessed = at; entry.lastIp = ip; }
      if (audited && at >= entry.auditedAt) { entry.auditedAt = at; entry.auditedIp = ip; }
      entry.useCountDelta++;
      return;
    }
    if (this.pending.size >= this.maxPending) { this.dropped++; return; } // flushes keep failing: keep memory bounded
    this.pending.set(tokenId, { tokenId, lastAccessed: at, lastIp: ip, useCountDelta: 1, auditedAt: audited ? at : 0, auditedIp: audited ? ip : '' });
    // A large active set, or a request that finished after close: write without waiting for the job.
    if ((this.pending.size >= this.flushAt || this.closed) && !this.flushing && Date.now() >= this.retryAfter) this.flushInBackground();
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
    this.flushing = this.doFlush().finally(() => {
      this.flushing = null;
      // Closed, no job comes again: uses recorded during this write are written now.
      if (this.closed && this.pending.size > 0 && Date.now() >= this.retryAfter) this.flushInBackground();
    });
    return this.flushing;
  }

  /**
   * Writes every use recorded before this call. A flush already under way took its batch earlier
   * and may fail, so it is awaited first and then a flush of its own follows.
   */
  async flushThrough(): Promise<void> {
    if (this.flushing) await this.flushing.catch(() => undefined);
    await this.flush();
  }

  /**
   * The final flush (plugin disabled, host stopping): waits for a flush in progress, then writes
   * what came in meanwhile, until nothing is pending (a few attempts when the database fails).
   * Uses recorded afterwards (requests still finishing) are flushed at once.
   */
  async close(): Promise<void> {
    this.closed = true;
    let failures = 0;
    while (this.flushing || this.pending.size > 0) {
      try {
        await this.flush();
      } catch (err) {
        if (++failures >= CLOSE_ATTEMPTS) throw err;
      }
    }
  }

  private flushInBackground(): void {
    this.flush().catch(() => { /* logged by doFlush; kept for the next flush */ });
  }

  private async doFlush(): Promise<void> {
    if (this.dropped > 0) {
      this.logger.warn('Last-access data of some token uses was dropped: too many tokens pending while flushes failed', { uses: this.dropped });
      this.dropped = 0;
    }
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.store.recordLastAccess(batch);
      this.logger.debug('Flushed last-access data', { tokens: batch.size });
    } catch (err) {
      for (const [tokenId, p] of batch) {
        const now = this.pending.get(tokenId);
        if (!now) {
          // Tokens used during the write took places meanwhile: within maxPending only, or every
          // failed round could add as many again (review 12). The rest is dropped and counted.
          if (this.pending.size < this.maxPending) this.pending.set(tokenId, p);
          else this.dropped += p.useCountDelta;
          continue;
        }
        if (p.lastAccessed > now.lastAccessed) { now.lastAccessed = p.lastAccessed; now.lastIp = p.lastIp; }
        if (p.auditedAt > now.auditedAt) { now.auditedAt = p.auditedAt; now.auditedIp = p.auditedIp; }
        now.useCountDelta += p.useCountDelta;
      }
      this.retryAfter = Date.now() + EARLY_RETRY_PAUSE_MS;
      this.logger.warn('Could not flush last-access data; will retry', { tokens: batch.size, error: String(err) });
      throw err;
    }
  }
}
