import type { ClusterMessagingService, Logger } from '../../host-sim/spi';

/** What changed, so that every node drops what it cached about it. */
export type Invalidation =
  | { readonly kind: 'tokens'; readonly publicIds: readonly string[] }
  | { readonly kind: 'user'; readonly userKey: string }
  | { readonly kind: 'settings' }
  | { readonly kind: 'all' };

export type InvalidationListener = (invalidation: Invalidation) => void;

export const INVALIDATION_CHANNEL = 'de.resolution.apitokenauth:invalidate';

function parse(payload: string): Invalidation | null {
  try {
    const value = JSON.parse(payload) as Invalidation;
    return value && typeof value === 'object' && typeof value.kind === 'string' ? value : null;
  } catch {
    return null;
  }
}

/**
 * The plugin's cache invalidation channel on top of the host's ClusterMessagingService. A change
 * is applied to this node's listeners first (even when the cluster message cannot be sent) and
 * reaches the other nodes within the host's poll interval.
 */
export class InvalidationBus {
  private readonly listeners = new Set<InvalidationListener>();
  private readonly unregister: () => void;

  constructor(private readonly messaging: ClusterMessagingService, private readonly logger: Logger) {
    this.unregister = messaging.registerListener(INVALIDATION_CHANNEL, (message) => {
      if (message.fromNode === messaging.nodeId) return; // applied locally before sending
      const invalidation = parse(message.payload);
      if (invalidation) this.deliver(invalidation);
    });
  }

  subscribe(listener: InvalidationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async publish(invalidation: Invalidation): Promise<void> {
    this.deliver(invalidation);
    try {
      await this.messaging.send(INVALIDATION_CHANNEL, JSON.stringify(invalidation));
    } catch (err) {
      this.logger.error('Could not send a cache invalidation to the cluster', { kind: invalidation.kind, error: String(err) });
      throw err;
    }
  }

  close(): void {
    this.unregister();
    this.listeners.clear();
  }

  private deliver(invalidation: Invalidation): void {
    for (const listener of this.listeners) listener(invalidation);
  }
}
