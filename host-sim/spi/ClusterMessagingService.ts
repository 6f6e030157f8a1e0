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
  /** This node's NODE_ID. */
  readonly nodeId: string;
}
