import type { AuditEvent, AuditService, Logger } from '../../host-sim/spi';

export interface AuditQueueOptions {
  /** Ordinary events held at most; beyond it new ones are dropped (and counted) rather than blocking requests. */
  readonly capacity: number;
  /** Events written per `recordAll` call. */
  readonly batchSize: number;
  /** How often queued events are written. */
  readonly flushIntervalMs: number;
  /**
   * Places for events that must not be lost ({@link AuditQueue.enqueueReserved}), apart from the
   * ordinary ones, so that no flood of ordinary events takes their room. A request that must be
   * audited takes a place when it is let through ({@link AuditQueue.reserve}) and keeps it until its
   * event is written, so requests still running count as well as events waiting: while every place
   * is taken, no such request is let through.
   */
  readonly reserve: number;
}

export const DEFAULT_AUDIT_QUEUE_OPTIONS: AuditQueueOptions = { capacity: 10000, batchSize: 200, flushIntervalMs: 1000, reserve: 1000 };

/**
 * A bounded queue of audit events written in batches off the request path (timer, and on
 * `close`). Enqueueing never waits for the database.
 */
export class AuditQueue {
  private queue: AuditEvent[] = [];
  private dropped = 0;
  /** The events queued by {@link enqueueReserved}, counted apart from ordinary ones. */
  private readonly reserved = new WeakSet<AuditEvent>();
  /** Reserved events in the queue (the rest of it is ordinary events). */
  private reservedQueued = 0;
  /** Places of the reserve taken ({@link reserve}): requests let through whose event is not written yet. */
  private reservedHeld = 0;
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly options: AuditQueueOptions = DEFAULT_AUDIT_QUEUE_OPTIONS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => { void this.flush(); }, this.options.flushIntervalMs);
    this.timer.unref();
  }

  enqueue(event: AuditEvent): void {
    if (this.queue.length - this.reservedQueued >= this.options.capacity) {
      this.dropped++;
      return;
    }
    this.add(event);
  }

  /**
   * For the event of a request that took a place ({@link reserve}; a sudo request, which is always
   * audited): never dropped, whatever the ordinary events do. Its place is freed once it is written.
   */
  enqueueReserved(event: AuditEvent): void {
    this.reserved.add(event);
    this.reservedQueued++;
    this.add(event);
  }

  /**
   * Takes a place in the reserve for the event of a request about to be let through; false while
   * every place is taken (requests running and events waiting: the audit log cannot keep up or is
   * unreachable), and the request must be refused. Ordinary events play no part.
   */
  reserve(): boolean {
    if (this.reservedHeld >= this.options.reserve) return false;
    this.reservedHeld++;
    return true;
  }

  private add(event: AuditEvent): void {
    this.queue.push(event);
    // A request that finished after close (plugin disabled): no timer is left to write it.
    if (this.closed) {
      void this.flush();
      return;
    }
    // Only full batches between timer runs: while a write is out, events keep arriving one by
    // one, and draining the rest after each write sent an INSERT for every few events (on
    // MariaDB ~0.04 statements per request with many tokens in use).
    if (this.queue.length >= this.options.batchSize && !this.flushing) this.flushing = this.drainFrom(false);
  }

  get size(): number {
    return this.queue.length;
  }

  /** Writes everything queued so far. Failed batches are put back (within capacity) for the next run. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.queue.length > 0 ? this.flush() : undefined));
    this.flushing = this.drainFrom(true);
    return this.flushing;
  }

  private drainFrom(all: boolean): Promise<void> {
    return this.drain(all).finally(() => { this.flushing = null; });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** Writes batches while there are any (`all`) or while a full one is queued. */
  private async drain(all: boolean): Promise<void> {
    if (this.dropped > 0) {
      this.logger.warn('Audit queue was full; token-use events were dropped', { dropped: this.dropped });
      this.dropped = 0;
    }
    while (all ? this.queue.length > 0 : this.queue.length >= this.options.batchSize) {
      const batch = this.queue.splice(0, this.options.batchSize);
      const reservedInBatch = batch.reduce((n, e) => (this.reserved.has(e) ? n + 1 : n), 0);
      this.reservedQueued -= reservedInBatch;
      try {
        await this.audit.recordAll(batch);
        this.reservedHeld = Math.max(0, this.reservedHeld - reservedInBatch);
      } catch (err) {
        // Back in front: every reserved event (each holds a place: at most the reserve) and
        // ordinary ones within the capacity, whatever came in while the write was out.
        let ordinary = 0;
        const all = batch.concat(this.queue);
        this.queue = all.filter((e) => this.reserved.has(e) || ++ordinary <= this.options.capacity);
        this.reservedQueued += reservedInBatch;
        this.dropped += all.length - this.queue.length;
        this.logger.warn('Could not write audit events; will retry', { events: batch.length, error: String(err) });
        return;
      }
    }
  }
}
