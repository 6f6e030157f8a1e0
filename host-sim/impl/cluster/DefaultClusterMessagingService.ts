// The cluster channel: a change log table (HOST_CLUSTER_MESSAGE) that every node polls.
// Auto-increment ids may become visible out of order on MySQL (two concurrent inserts commit
// in the other order), so a missing id is waited for a few seconds before it is given up.
import type { Logger } from 'winston';
import type { ClusterMessage, ClusterMessageListener, ClusterMessagingService } from '../../spi/ClusterMessagingService';
import type { Database } from '../db/Database';

const GAP_PATIENCE_MS = 3000;
const MAX_ROWS_PER_POLL = 1000;
const PRUNE_EVERY_MS = 60_000;
const KEEP_MESSAGES_MS = 10 * 60_000;

interface MessageRow { ID: number; CHANNEL: string; PAYLOAD: string; FROM_NODE: string }

export class DefaultClusterMessagingService implements ClusterMessagingService {
  private readonly listeners = new Map<string, Set<ClusterMessageListener>>();
  private watermark = 0;
  private readonly seen = new Set<number>();
  private readonly gapSince = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private lastPrune = 0;
  private stopped = false;

  constructor(
    private readonly db: Database,
    readonly nodeId: string,
    private readonly pollIntervalMs: number,
    private readonly logger: Logger,
  ) {}

  /** Starts polling from the current end of the log (older messages are not replayed). */
  async start(): Promise<void> {
    const rows = await this.db.query<{ MAX_ID: number | null }>('SELECT MAX(ID) AS MAX_ID FROM HOST_CLUSTER_MESSAGE');
    this.watermark = Number(rows[0]?.MAX_ID ?? 0);
    this.lastPrune = Date.now();
    this.scheduleNext();
  }

  async send(channel: string, payload: string): Promise<void> {
    const res = await this.db.execute(
      'INSERT INTO HOST_CLUSTER_MESSAGE (CHANNEL, PAYLOAD, FROM_NODE, CREATED) VALUES (?, ?, ?, ?)',
      [channel, payload, this.nodeId, Date.now()]);
    if (res.insertId > this.watermark) this.seen.add(res.insertId);
    this.deliver({ channel, payload, fromNode: this.nodeId });
  }

  registerListener(channel: string, listener: ClusterMessageListener): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    return () => { set.delete(listener); };
  }

  /** Polls once now (tests and shutdown use it); resolves when delivered. */
  async pollNow(): Promise<void> {
    if (this.polling) return this.polling;
    this.polling = this.poll().finally(() => { this.polling = null; });
    return this.polling;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.polling) await this.polling.catch(() => undefined);
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.pollNow()
        .catch((err) => this.logger.debug('Cluster poll failed', { error: String((err as Error)?.message ?? err) }))
        .finally(() => this.scheduleNext());
    }, this.pollIntervalMs);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    const rows = await this.db.query<MessageRow>(
      `SELECT ID, CHANNEL, PAYLOAD, FROM_NODE FROM HOST_CLUSTER_MESSAGE WHERE ID > ? ORDER BY ID LIMIT ${MAX_ROWS_PER_POLL}`,
      [this.watermark], { background: true });
    for (const row of rows) {
      const id = Number(row.ID);
      if (this.seen.has(id)) continue;
      this.seen.add(id);
      if (row.FROM_NODE !== this.nodeId) {
        this.deliver({ channel: row.CHANNEL, payload: row.PAYLOAD, fromNode: row.FROM_NODE });
      }
    }
    this.advanceWatermark(Date.now());
    if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = Date.now();
      await this.db.execute('DELETE FROM HOST_CLUSTER_MESSAGE WHERE CREATED < ?', [Date.now() - KEEP_MESSAGES_MS], { background: true });
    }
  }

  private advanceWatermark(now: number): void {
    let maxSeen = this.watermark;
    for (const id of this.seen) if (id > maxSeen) maxSeen = id;
    if (maxSeen - this.watermark > 100_000) {
      this.watermark = maxSeen;
    }
    while (this.watermark < maxSeen) {
      const next = this.watermark + 1;
      if (!this.seen.has(next)) {
        const since = this.gapSince.get(next) ?? now;
        this.gapSince.set(next, since);
        if (now - since < GAP_PATIENCE_MS) break;
      }
      this.watermark = next;
      this.seen.delete(next);
      this.gapSince.delete(next);
    }
  }

  private deliver(message: ClusterMessage): void {
    const set = this.listeners.get(message.channel);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(message);
      } catch (err) {
        this.logger.error('Cluster message listener failed', { channel: message.channel, error: String((err as Error)?.message ?? err) });
      }
    }
  }
}
