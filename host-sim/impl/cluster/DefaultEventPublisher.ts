// Host events: listeners on this node are awaited by `publish`; every other node gets the
// event over the cluster channel.
import type { Logger } from 'winston';
import type { ClusterMessagingService } from '../../spi/ClusterMessagingService';
import type { EventPublisher, HostEvent, HostEventListener, HostEventType } from '../../spi/EventPublisher';

const CHANNEL = 'host.events';
type AnyListener = (event: HostEvent) => void | Promise<void>;

export class DefaultEventPublisher implements EventPublisher {
  private readonly listeners = new Map<HostEventType, Set<AnyListener>>();
  private readonly unregister: () => void;

  constructor(private readonly messaging: ClusterMessagingService, private readonly logger: Logger) {
    this.unregister = messaging.registerListener(CHANNEL, (message) => {
      if (message.fromNode === messaging.nodeId) return;
      let event: HostEvent;
      try {
        event = JSON.parse(message.payload) as HostEvent;
      } catch {
        this.logger.warn('Ignoring malformed host event from the cluster', { fromNode: message.fromNode });
        return;
      }
      void this.dispatch(event);
    });
  }

  subscribe<T extends HostEventType>(type: T, listener: HostEventListener<T>): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    const wrapped = listener as unknown as AnyListener;
    set.add(wrapped);
    return () => { set.delete(wrapped); };
  }

  async publish(event: HostEvent): Promise<void> {
    await this.messaging.send(CHANNEL, JSON.stringify(event));
    await this.dispatch(event);
  }

  close(): void {
    this.unregister();
  }

  private async dispatch(event: HostEvent): Promise<void> {
    const set = this.listeners.get(event.type);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        await listener(event);
      } catch (err) {
        this.logger.error('Host event listener failed', { type: event.type, error: String((err as Error)?.message ?? err) });
      }
    }
  }
}
