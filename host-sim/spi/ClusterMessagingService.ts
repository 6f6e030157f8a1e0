/** A message received on a cluster channel. */
export interface ClusterMessage {
  readonly channel: string;
  readonly payload: string;
  /** NODE_ID of the sender. */
  readonly fromNode: string;
}

export type ClusterMessageListener = (message: ClusterMessage) => void;

/**
 * Cluster-wide invalidation channel (Jira Data Center `ClusterMessagingService`): a change
 * log in the shared database that every node polls at least once a second. A message sent
 * on one node is delivered to listeners on the sending node at once (synchronously, before
 * `send` resolves) and on every other node within one second.
 */
export interface ClusterMessagingService {
  send(channel: string, payload: string): Promise<void>;
  /** Returns a function that removes the listener. */
  registerListener(channel: string, listener: ClusterMessageListener): () => void;
  /**
   * True while this node keeps up with the change log: its last successful poll began at most
   * the node's lag limit ago (`CLUSTER_MAX_LAG_MS`, 5 s by default). While it is false (the
   * database stalled or partitioned away from this node), messages of other nodes may be
   * missing here, so nothing a cache holds on the strength of this channel may decide a
   * request: answer 503 (`ServiceUnavailableError`) instead. Costs no statement.
   */
  isCurrent(): boolean;
  /**
   * `listener` is called on this node when it reads the change log again after it had fallen
   * behind the lag limit: messages may have been pruned before it could read them, so every
   * cache kept current by this channel must be dropped or reloaded. A listener that reloads
   * returns the reload: while one fails, the node stays behind ({@link isCurrent} false) and the
   * listeners are called again at the next poll. Returns a function that removes the listener.
   */
  registerResyncListener(listener: () => void | Promise<void>): () => void;
  /** This node's NODE_ID. */
  readonly nodeId: string;
}
