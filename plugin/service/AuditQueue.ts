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
  /**
   * How long {@link AuditQueue.close} keeps retrying a write that fails (a database restarting as
   * the plugin stops) before it gives up and logs what it could not write. Default 2 s: long
   * enough for a failover, short enough not to hold up a disable or a stop.
   */
  readonly closeRetryMs?: number;
}

export const DEFAULT_AUDIT_QUEUE_OPTIONS: AuditQueueOptions = { capacity: 10000, batchSize: 200, flushIntervalMs: 1000, reserve: 1000, closeRetryMs: 2000 };
/** The pause between two writes of {@link AuditQueue.close} while the audit log fails. */
const CLOSE_RETRY_PAUSE_MS = 100;

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
  /** close() has given up retrying: whatever cannot be written from now on is logged, not kept. */
  private gaveUp = false;

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
      void this.flush().then(() => { if (this.gaveUp) this.logUnwritten(); });
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

  /**
   * Writes what is queued, retrying for `closeRetryMs` while the audit log fails; then logs what
   * is left (nothing keeps this queue once the plugin is gone).
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const deadline = Date.now() + (this.options.closeRetryMs ?? 0);
    await this.flush();
    while (this.queue.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(CLOSE_RETRY_PAUSE_MS, Math.max(deadline - Date.now(), 0))));
      await this.flush();
    }
    this.gaveUp = true;
    this.logUnwritten();
  }

  /**
   * The log file is the record of last resort for an event that could not be written: each one
   * that must not be lost (a sudo request's) by what it names — action, author, address, the
   * objects and the user acted as —, never its free text (descriptions, paths: the audit log's to
   * keep, not the log file's); the others by their number.
   */
  private logUnwritten(): void {
    if (this.queue.length === 0) return;
    const lost = this.queue;
    this.queue = [];
    this.reservedQueued = 0;
    let ordinary = 0;
    for (const e of lost) {
      if (!this.reserved.has(e)) {
        ordinary++;
        continue;
      }
      this.logger.error('Audit event lost: the audit log could not be written before the plugin stopped', {
        action: e.action, at: e.timestamp ?? null, authorKey: e.author?.key ?? null, sourceIp: e.sourceIp ?? null,
        affected: (e.affectedObjects ?? []).map((o) => `${o.type} ${o.id}`).join(', '), runAsUserKey: e.attributes?.runAsUserKey ?? null,
      });
    }
    if (ordinary > 0) this.logger.error('Audit events lost: the audit log could not be written before the plugin stopped', { events: ordinary });
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
