/** Host events a plugin may listen to. Delivered on every node of the cluster. */
export type HostEvent =
  | { readonly type: 'user-deleted'; readonly userKey: string; readonly userName: string }
  | { readonly type: 'user-deactivated'; readonly userKey: string; readonly userName: string }
  | { readonly type: 'plugin-enabled'; readonly pluginKey: string }
  | { readonly type: 'plugin-disabled'; readonly pluginKey: string };

export type HostEventType = HostEvent['type'];
export type HostEventListener<T extends HostEventType> = (event: Extract<HostEvent, { type: T }>) => void | Promise<void>;

/** Subscription to host events (Atlassian `EventPublisher`). */
export interface EventPublisher {
  /** Registers a listener; returns a function that removes it. */
  subscribe<T extends HostEventType>(type: T, listener: HostEventListener<T>): () => void;
  publish(event: HostEvent): Promise<void>;
}
