// The cluster channel: a change log table (HOST_CLUSTER_MESSAGE) that every node polls.
// Auto-increment ids may become visible out of order (two concurrent inserts commit in the other
// order), so a missing id is waited for a few seconds before it is given up. Some ids never come:
// MariaDB Galera hands out ids in steps of the cluster size (auto_increment_increment), a rolled-
// back insert leaves its id unused. So each poll reads the rows above the highest id seen (new
// messages are never held up by gaps) and, while gaps are open, the rows inside them (late
// commits), and every gap starts its patience when it is first seen.
import type { Logger } from 'winston';
import type { ClusterMessage, ClusterMessageListener, ClusterMessagingService } from '../../spi/ClusterMessagingService';
import type { Database } from '../db/Database';

const GAP_PATIENCE_MS = 3000;
const MAX_ROWS_PER_POLL = 1000;
const LATE_IDS_PER_QUERY = 500;
const PRUNE_EVERY_MS = 60_000;
/** How long messages stay in the log; a node's lag limit must stay well below it. */
export const KEEP_MESSAGES_MS = 10 * 60_000;
/** Default lag limit: beyond it a node's caches fed by this channel are not trusted (SPI `isCurrent`). */
export const DEFAULT_MAX_LAG_MS = 5000;
/** First pause before an unsent message is written again; it doubles up to the last. */
const FIRST_RESEND_MS = 250;
const MAX_RESEND_MS = 5000;
/** Unsent messages kept at most (the oldest is dropped beyond, with an error in the log). */
const MAX_UNSENT = 10_000;

interface MessageRow { ID: number; CHANNEL: string; PAYLOAD: string; FROM_NODE: string }

export class DefaultClusterMessagingService implements ClusterMessagingService {
  private readonly listeners = new Map<string, Set<ClusterMessageListener>>();
  private readonly resyncListeners = new Set<() => void | Promise<void>>();
  /** When the last successful poll began: every message committed before it has been read. */
  private syncedAt = 0;
  private watermark = 0;
  private readonly seen = new Set<number>();
  private readonly gapSince = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<boolean> | null = null;
  private lastPrune = 0;
  /** The deletion of old messages under way, never awaited by a poll. */
  private pruning: Promise<void> | null = null;
  private stopped = false;
  /** Messages whose insert failed, oldest first: written again, in order, until they are in the log. */
  private readonly unsent: Array<{ readonly channel: string; readonly payload: string }> = [];
  private resendTimer: NodeJS.Timeout | null = null;
  private resendDelayMs = FIRST_RESEND_MS;
  private draining: Promise<void> | null = null;
  private lastSendError: unknown = null;
  /** Ids of the rows this process wrote, until a poll reads them (or they fall below the watermark). */
  private readonly written = new Set<number>();
  /** Inserts under way: a poll may read their row before its id is known here. */
  private readonly inserting = new Set<Promise<unknown>>();
  /** Messages whose insert failed: the row may have committed all the same (a connection lost after the commit). */
  private readonly uncertain: Array<{ readonly channel: string; readonly payload: string }> = [];
  /** Set once a row under this NODE_ID that this process did not write was read: another node uses the name. */
  private twin = false;

  constructor(
    private readonly db: Database,
    readonly nodeId: string,
    private readonly pollIntervalMs: number,
    private readonly logger: Logger,
    private readonly maxLagMs: number = DEFAULT_MAX_LAG_MS,
    /** How often the log's old messages are deleted (tests use 0: at every poll). */
    private readonly pruneEveryMs: number = PRUNE_EVERY_MS,
  ) {}

  /** Starts polling from the current end of the log (older messages are not replayed). */
  async start(): Promise<void> {
    const rows = await this.db.query<{ MAX_ID: number | null }>('SELECT MAX(ID) AS MAX_ID FROM HOST_CLUSTER_MESSAGE');
    this.watermark = Number(rows[0]?.MAX_ID ?? 0);
    this.syncedAt = Date.now();
    this.lastPrune = Date.now();
    this.scheduleNext();
  }

  /**
   * Writes the message to the log and delivers it on this node. What it announces has usually
   * committed already (a user deactivated, a setting stored), so a message that cannot be written
   * (the database gone for a moment) is not dropped: it is delivered here at once, `send` fails
   * (the caller answers with an error), and the message is written again, behind any older unsent
   * ones, after a pause that doubles up to 5 s, until it is in the log — otherwise another node
   * would act on its cache for as long as it runs.
   */
  async send(channel: string, payload: string): Promise<void> {
    const message = { channel, payload };
    if (this.unsent.length === 0) {
      try {
        await this.insert(message);
        this.deliver({ channel, payload, fromNode: this.nodeId });
        return;
      } catch (err) {
        this.lastSendError = err;
      }
    }
    this.keepUnsent(message);
    this.deliver({ channel, payload, fromNode: this.nodeId });
    await this.drain();
    if (this.unsent.includes(message)) throw this.lastSendError ?? new Error('Could not write to the cluster change log');
  }

  /** Messages not yet written to the log. */
  pendingSends(): number {
    return this.unsent.length;
  }

  private async insert(message: { readonly channel: string; readonly payload: string }): Promise<void> {
    const executing = this.db.execute(
      'INSERT INTO HOST_CLUSTER_MESSAGE (CHANNEL, PAYLOAD, FROM_NODE, CREATED) VALUES (?, ?, ?, ?)',
      [message.channel, message.payload, this.nodeId, Date.now()]);
    this.inserting.add(executing);
    try {
      const res = await executing;
      this.written.add(res.insertId);
      if (res.insertId > this.watermark) this.seen.add(res.insertId);
    } catch (err) {
      this.uncertain.push(message);
      if (this.uncertain.length > MAX_UNSENT) this.uncertain.shift();
      throw err;
    } finally {
      this.inserting.delete(executing);
    }
  }

  /**
   * Rows read under this node's NODE_ID: each must be one this process wrote. Another is a second
   * node under the same name, whose messages this node and its plugins skip as their own — a
   * revocation there would go unseen here. The node then no longer trusts its caches
   * ({@link isCurrent} false for good: 503 to token and password requests, /status ERROR).
   */
  private async checkOwnRows(rows: readonly MessageRow[]): Promise<void> {
    if (this.inserting.size > 0) await Promise.allSettled([...this.inserting]);
    for (const row of rows) {
      const id = Number(row.ID);
      if (this.written.delete(id) || this.twin) continue;
      const maybeMine = this.uncertain.findIndex((m) => m.channel === row.CHANNEL && m.payload === row.PAYLOAD);
      if (maybeMine !== -1) {
        this.uncertain.splice(maybeMine, 1);
        continue;
      }
      this.twin = true;
      this.logger.error('Another node writes to the cluster change log under this NODE_ID: this node misses its changes (revocations too) and stops answering token and password requests; restart each node with its own NODE_ID',
        { nodeId: this.nodeId, messageId: id });
    }
    if (this.written.size > 1000) for (const id of this.written) if (id <= this.watermark) this.written.delete(id);
  }

  private keepUnsent(message: { readonly channel: string; readonly payload: string }): void {
    this.unsent.push(message);
    if (this.unsent.length > MAX_UNSENT) {
      const dropped = this.unsent.shift();
      this.logger.error('Too many cluster messages could not be written: the oldest is dropped', { channel: dropped?.channel });
    }
  }

  /** Writes the unsent messages in order; stops at the first failure and schedules the next try. */
  private drain(): Promise<void> {
    this.draining ??= this.drainNow().finally(() => { this.draining = null; });
    return this.draining;
  }

  private async drainNow(): Promise<void> {
    try {
      while (this.unsent.length > 0) {
        await this.insert(this.unsent[0]);
        this.unsent.shift();
      }
      this.resendDelayMs = FIRST_RESEND_MS;
    } catch (err) {
      this.lastSendError = err;
      this.scheduleResend();
    }
  }

  private scheduleResend(): void {
    if (this.resendTimer || this.stopped) return;
    const delay = this.resendDelayMs;
    this.resendDelayMs = Math.min(this.resendDelayMs * 2, MAX_RESEND_MS);
    this.resendTimer = setTimeout(() => {
      this.resendTimer = null;
      void this.drain();
    }, delay);
    this.resendTimer.unref();
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

  isCurrent(): boolean {
    return !this.twin && Date.now() - this.syncedAt <= this.maxLagMs;
  }

  registerResyncListener(listener: () => void | Promise<void>): () => void {
    this.resyncListeners.add(listener);
    return () => { this.resyncListeners.delete(listener); };
  }

  /** Polls once now (tests and shutdown use it); resolves when delivered, true when more is waiting. */
  async pollNow(): Promise<boolean> {
    if (this.polling) return this.polling;
    this.polling = this.poll().finally(() => { this.polling = null; });
    return this.polling;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.resendTimer) clearTimeout(this.resendTimer);
    this.resendTimer = null;
    // One last try for what could not be written.
    if (this.unsent.length > 0) await this.drain();
    if (this.unsent.length > 0) this.logger.error('Cluster messages could not be written before the node stopped', { count: this.unsent.length });
    if (this.polling) await this.polling.catch(() => undefined);
    if (this.pruning) await this.pruning;
  }

  private scheduleNext(delayMs = this.pollIntervalMs): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.pollNow()
        // A poll that stopped at MAX_ROWS_PER_POLL has more to read: the next one comes at once.
        .then((more) => this.scheduleNext(more ? 0 : this.pollIntervalMs), (err: unknown) => {
          this.logger.debug('Cluster poll failed', { error: String((err as Error)?.message ?? err) });
          this.scheduleNext();
        });
    }, delayMs);
    this.timer.unref();
  }

  /**
   * Reads what was sent since the last poll. Resolves true when it stopped at MAX_ROWS_PER_POLL
   * with more to read: the node is then not yet up to the poll's start (a backlog), so the time
   * it is current up to does not move.
   */
  private async poll(): Promise<boolean> {
    const startedAt = Date.now();
    const highest = this.highestSeen();
    const late = highest > this.watermark ? await this.lateRows(highest) : [];
    // On the database's reserved connection: a pool busy with requests must not hold up the poll.
    const fresh = await this.db.query<MessageRow>(
      `SELECT ID, CHANNEL, PAYLOAD, FROM_NODE FROM HOST_CLUSTER_MESSAGE WHERE ID > ? ORDER BY ID LIMIT ${MAX_ROWS_PER_POLL}`,
      [highest], { background: true, reserved: true });
    const underOwnName: MessageRow[] = [];
    for (const row of [...late, ...fresh]) {
      const id = Number(row.ID);
      if (this.seen.has(id)) {
        if (row.FROM_NODE === this.nodeId) this.written.delete(id);
        continue;
      }
      this.seen.add(id);
      if (row.FROM_NODE !== this.nodeId) {
        this.deliver({ channel: row.CHANNEL, payload: row.PAYLOAD, fromNode: row.FROM_NODE });
      } else {
        underOwnName.push(row);
      }
    }
    if (underOwnName.length > 0) await this.checkOwnRows(underOwnName);
    this.advanceWatermark(Date.now());
    const more = fresh.length >= MAX_ROWS_PER_POLL;
    if (!more) {
      const behindMs = startedAt - this.syncedAt;
      // Behind the lag limit, messages may have been pruned before this node could read them
      // (KEEP_MESSAGES_MS) or given up as gaps: what they would have invalidated is dropped instead.
      // Until every reload has succeeded (licence and plugin states), the node stays behind.
      if (behindMs <= this.maxLagMs || await this.resync(behindMs)) this.syncedAt = startedAt;
    }
    if (Date.now() - this.lastPrune >= this.pruneEveryMs && this.pruning === null) {
      this.lastPrune = Date.now();
      // Housekeeping beside the poll, not inside it: the DELETE is a write, and on SQLite a write
      // waits for a background write transaction (a large last-access flush holds one for seconds).
      // A poll waiting that long counted the node as behind — 503 to every token request — and
      // its resync then dropped every cache.
      this.pruning = this.db.execute('DELETE FROM HOST_CLUSTER_MESSAGE WHERE CREATED < ?', [Date.now() - KEEP_MESSAGES_MS], { background: true })
        .then(() => undefined, (err: unknown) => { this.logger.debug('Pruning the cluster change log failed', { error: String((err as Error)?.message ?? err) }); })
        .finally(() => { this.pruning = null; });
    }
    return more;
  }

  /**
   * Rows that committed inside the open gaps below `highest`: the window's ids (an index-only
   * read), then only the rows of ids not seen yet.
   */
  private async lateRows(highest: number): Promise<MessageRow[]> {
    const ids = await this.db.query<{ ID: number }>(
      'SELECT ID FROM HOST_CLUSTER_MESSAGE WHERE ID > ? AND ID < ? ORDER BY ID', [this.watermark, highest], { background: true, reserved: true });
    const unseen = ids.map((r) => Number(r.ID)).filter((id) => !this.seen.has(id));
    const rows: MessageRow[] = [];
    for (let i = 0; i < unseen.length; i += LATE_IDS_PER_QUERY) {
      const chunk = unseen.slice(i, i + LATE_IDS_PER_QUERY);
      rows.push(...await this.db.query<MessageRow>(
        `SELECT ID, CHANNEL, PAYLOAD, FROM_NODE FROM HOST_CLUSTER_MESSAGE WHERE ID IN (${chunk.map(() => '?').join(', ')}) ORDER BY ID`,
        chunk, { background: true, reserved: true }));
    }
    return rows;
  }

  /** The highest id delivered or sent by this node (the watermark when nothing is above it). */
  private highestSeen(): number {
    let max = this.watermark;
    for (const id of this.seen) if (id > max) max = id;
    return max;
  }

  private advanceWatermark(now: number): void {
    const maxSeen = this.highestSeen();
    if (maxSeen - this.watermark > 100_000) {
      this.watermark = maxSeen;
    }
    // Every gap below the highest id starts its patience now, not when the watermark reaches it:
    // with ids in steps of three, waiting for the gaps one after the other would never catch up.
    for (let id = this.watermark + 1; id < maxSeen; id++) {
      if (!this.seen.has(id) && !this.gapSince.has(id)) this.gapSince.set(id, now);
    }
    while (this.watermark < maxSeen) {
      const next = this.watermark + 1;
      if (!this.seen.has(next) && now - (this.gapSince.get(next) ?? now) < GAP_PATIENCE_MS) break;
      this.watermark = next;
      this.seen.delete(next);
      this.gapSince.delete(next);
    }
  }

  /** Calls every resync listener; true when all of them (and their reloads) succeeded. */
  private async resync(behindMs: number): Promise<boolean> {
    this.logger.warn('Reading the cluster change log again after falling behind: caches kept by it are dropped', { behindMs });
    const results = await Promise.allSettled([...this.resyncListeners].map(async (listener) => listener()));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    for (const failure of failures) {
      this.logger.error('Cluster resync listener failed; this node stays behind and tries again', { error: String((failure.reason as Error)?.message ?? failure.reason) });
    }
    return failures.length === 0;
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
