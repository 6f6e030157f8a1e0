/** A held cluster lock. */
export interface ClusterLock {
  readonly name: string;
  unlock(): Promise<void>;
}

/**
 * Cluster-wide mutual exclusion (Atlassian Beehive `ClusterLockService`), backed by a lock
 * row in the shared database. A lock held by a node that died expires after its lease.
 */
export interface ClusterLockService {
  /** Takes the lock if free; null when another holder has it. */
  tryLock(name: string, leaseMs?: number): Promise<ClusterLock | null>;
  /** Runs `fn` under the lock; resolves to `{ran: false}` when the lock was taken. */
  withLock<T>(name: string, fn: () => Promise<T>, leaseMs?: number): Promise<{ ran: true; value: T } | { ran: false }>;
}
