import type { ClusterMessagingService, Logger } from '../../host-sim/spi';
import { DEFAULT_DATABASE_TIMEOUT_MS, withDeadline } from './Deadline';

/** What changed, so that every node drops what it cached about it. */
export type Invalidation =
  | { readonly kind: 'tokens'; readonly publicIds: readonly string[] }
  | { readonly kind: 'user'; readonly userKey: string }
  | { readonly kind: 'settings' }
  | { readonly kind: 'all' };

export type InvalidationListener = (invalidation: Invalidation) => void;

export const INVALIDATION_CHANNEL = 'de.resolution.apitokenauth:invalidate';

/**
 * Reads another node's invalidation as this version's closed union; null when it cannot: a kind
 * this version does not know (a newer version's), a known kind of another shape, or no JSON at
 * all. The caller then drops every cache ({@link ALL}): what such a message invalidated is
 * unknown, and a revoked token must not stay cached. Fields beside the known ones are left out.
 */
function parse(payload: string): Invalidation | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const field = (name: string): unknown => (Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined);
  switch (field('kind')) {
    case 'tokens': {
      const ids = field('publicIds');
      return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? { kind: 'tokens', publicIds: ids as string[] } : null;
    }
    case 'user': {
      const userKey = field('userKey');
      return typeof userKey === 'string' ? { kind: 'user', userKey } : null;
    }
    case 'settings': return { kind: 'settings' };
    case 'all': return ALL;
    default: return null;
  }
}

const ALL: Invalidation = Object.freeze({ kind: 'all' });

/** How long the bus waits before sending an undelivered invalidation again: the first pause, doubled up to the last. */
export interface InvalidationRetryOptions {
  readonly firstRetryMs: number;
  readonly maxRetryMs: number;
  /**
   * A send unanswered for this long counts as failed (and is sent again), default
   * {@link DEFAULT_DATABASE_TIMEOUT_MS}: one send on a stalled connection would otherwise hold up
   * every later invalidation of this node, and every change request waiting for them.
   */
  readonly sendTimeoutMs?: number;
}

export const DEFAULT_INVALIDATION_RETRY: InvalidationRetryOptions = { firstRetryMs: 250, maxRetryMs: 5000 };

/**
 * Default age limit of what a node caches from the database (system property
 * `apitokenauth.cacheMaxAgeSeconds`; credentials, unknown ids, settings): how long a node may go on
 * acting on a change whose invalidation never reached it — committed, the change log unreachable,
 * and the node that made the change stopped before it could write it again.
 */
export const DEFAULT_CACHE_MAX_AGE_MS = 10 * 60 * 1000;

/** Undelivered invalidations kept beyond this many are replaced by one `all` (every cache on every node dropped). */
const MAX_UNSENT = 1000;

/**
 * The plugin's cache invalidation channel on top of the host's ClusterMessagingService. A change
 * is applied to this node's listeners first (even when the cluster message cannot be sent) and
 * reaches the other nodes within the host's poll interval.
 *
 * The change an invalidation describes is already committed when it is published, so one that
 * cannot be sent (the database unreachable for a moment) is not dropped: `publish` still fails
 * (the caller answers with an error), and the bus sends it again, in order, after a pause that
 * doubles up to {@link InvalidationRetryOptions.maxRetryMs}, until it is delivered — otherwise
 * another node would go on accepting a revoked token from its cache.
 */
export class InvalidationBus {
  private readonly listeners = new Set<InvalidationListener>();
  private readonly unregister: () => void;
  private readonly unregisterResync: () => void;
  private unsent: string[] = [];
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelayMs: number;
  private draining: Promise<void> | null = null;
  private failing = false;
  private lastError: unknown = null;
  private closed = false;

  constructor(private readonly messaging: ClusterMessagingService, private readonly logger: Logger,
    private readonly retry: InvalidationRetryOptions = DEFAULT_INVALIDATION_RETRY) {
    this.retryDelayMs = retry.firstRetryMs;
    this.unregister = messaging.registerListener(INVALIDATION_CHANNEL, (message) => {
      if (message.fromNode === messaging.nodeId) return; // applied locally before sending
      const invalidation = parse(message.payload);
      if (!invalidation) {
        this.logger.warn('A cache invalidation from another node could not be read (another plugin version?): every cached credential and setting is dropped', { fromNode: message.fromNode });
      }
      this.deliver(invalidation ?? ALL);
    });
    // Back after falling behind the change log: what this node missed is unknown, so everything goes.
    this.unregisterResync = messaging.registerResyncListener(() => {
      this.logger.warn('This node fell behind the cluster change log: every cached credential and setting is dropped');
      this.deliver(ALL);
    });
  }

  /**
   * False while this node cannot keep up with the other nodes' invalidations (the host's change
   * log unread for longer than its lag limit): nothing cached may then decide a request.
   */
  isCurrent(): boolean {
    return this.messaging.isCurrent();
  }

  subscribe(listener: InvalidationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async publish(invalidation: Invalidation): Promise<void> {
    this.deliver(invalidation);
    // Behind any undelivered ones: the other nodes get them in the order they happened.
    this.keep(JSON.stringify(invalidation));
    await this.sendUnsent();
    // A drain that was ending as this one was queued may have left it: one more.
    if (this.unsent.length > 0) await this.sendUnsent();
    if (this.unsent.length === 0) return;
    this.scheduleRetry();
    // The send's own error: a database that cannot be reached stays a 503 for the caller.
    throw this.lastError ?? new Error('Could not send a cache invalidation to the cluster');
  }

  /** Invalidations not yet delivered to the other nodes. */
  pending(): number {
    return this.unsent.length;
  }

  /** Stops listening; undelivered invalidations get one last attempt. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.sendUnsent();
    // The other nodes read what these describe again within their cache age limit (DEFAULT_CACHE_MAX_AGE_MS).
    if (this.unsent.length > 0) this.logger.error('Cache invalidations could not be sent to the cluster before the plugin stopped: other nodes apply them only when their cached copies reach the cache age limit', { count: this.unsent.length });
    this.unregister();
    this.unregisterResync();
    this.listeners.clear();
  }

  private deliver(invalidation: Invalidation): void {
    for (const listener of this.listeners) listener(invalidation);
  }

  private keep(payload: string): void {
    this.unsent.push(payload);
    // The first may be on its way (drain): it stays; everything after it becomes one `all`.
    if (this.unsent.length > MAX_UNSENT) this.unsent = [this.unsent[0], JSON.stringify({ kind: 'all' } satisfies Invalidation)];
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.sendUnsent().then(() => {
        if (this.unsent.length === 0) return;
        this.retryDelayMs = Math.min(this.retry.maxRetryMs, this.retryDelayMs * 2);
        this.scheduleRetry();
      });
    }, this.retryDelayMs);
    this.retryTimer.unref();
  }

  /** Sends the undelivered invalidations in order, one sender at a time, stopping at the first failure. */
  private sendUnsent(): Promise<void> {
    this.draining ??= this.drain().finally(() => { this.draining = null; });
    return this.draining;
  }

  private async drain(): Promise<void> {
    while (this.unsent.length > 0) {
      try {
        // Given up after the deadline: sent again later (an invalidation applied twice changes nothing).
        await withDeadline(this.messaging.send(INVALIDATION_CHANNEL, this.unsent[0]), this.retry.sendTimeoutMs ?? DEFAULT_DATABASE_TIMEOUT_MS, 'A cache invalidation send');
      } catch (err) {
        if (!this.failing) this.logger.error('Could not send a cache invalidation to the cluster; sending it again until delivered', { error: String(err) });
        this.failing = true;
        this.lastError = err;
        return;
      }
      this.unsent.shift();
    }
    if (this.failing) this.logger.info('Cache invalidations delivered to the cluster after a failure');
    this.failing = false;
    this.retryDelayMs = this.retry.firstRetryMs;
  }
}
