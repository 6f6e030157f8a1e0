// Cluster locks as rows of HOST_CLUSTER_LOCK: taking a lock is one conditional UPDATE (or an
// INSERT for a new name), so exactly one node wins; a lease lets a dead holder's lock expire.
// Leases use the wall clock, not the movable host clock, so moving the clock never frees a lock.
import { randomBytes } from 'node:crypto';
import type { ClusterLock, ClusterLockService } from '../../spi/ClusterLockService';
import type { Database } from '../db/Database';

export const DEFAULT_LEASE_MS = 5 * 60_000;

export class DefaultClusterLockService implements ClusterLockService {
  constructor(private readonly db: Database, private readonly nodeId: string) {}

  async tryLock(name: string, leaseMs = DEFAULT_LEASE_MS): Promise<ClusterLock | null> {
    const token = randomBytes(16).toString('hex');
    const now = Date.now();
    const taken = await this.db.execute(
      'UPDATE HOST_CLUSTER_LOCK SET OWNER_NODE = ?, OWNER_TOKEN = ?, LEASE_UNTIL = ? WHERE LOCK_NAME = ? AND LEASE_UNTIL < ?',
      [this.nodeId, token, now + leaseMs, name, now]);
    if (taken.affected !== 1) {
      const inserted = await this.db.execute(
        this.db.sql.insertIgnore('HOST_CLUSTER_LOCK', ['LOCK_NAME', 'OWNER_NODE', 'OWNER_TOKEN', 'LEASE_UNTIL', 'LAST_RUN'], ['?', '?', '?', '?', '0']),
        [name, this.nodeId, token, now + leaseMs]);
      if (inserted.affected !== 1) return null;
    }
    let released = false;
    return {
      name,
      unlock: async () => {
        if (released) return;
        released = true;
        await this.db.execute(
          'UPDATE HOST_CLUSTER_LOCK SET OWNER_NODE = NULL, OWNER_TOKEN = NULL, LEASE_UNTIL = 0 WHERE LOCK_NAME = ? AND OWNER_TOKEN = ?',
          [name, token]);
      },
    };
  }

  async withLock<T>(name: string, fn: () => Promise<T>, leaseMs?: number): Promise<{ ran: true; value: T } | { ran: false }> {
    const lock = await this.tryLock(name, leaseMs);
    if (!lock) return { ran: false };
    try {
      return { ran: true, value: await fn() };
    } finally {
      await lock.unlock();
    }
  }

  /** Wall-clock time of the last recorded run under this lock name (0 when never). */
  async lastRun(name: string): Promise<number> {
    const rows = await this.db.query<{ LAST_RUN: number }>('SELECT LAST_RUN FROM HOST_CLUSTER_LOCK WHERE LOCK_NAME = ?', [name]);
    return rows.length ? Number(rows[0].LAST_RUN) : 0;
  }

  async recordRun(name: string, at: number): Promise<void> {
    await this.db.execute('UPDATE HOST_CLUSTER_LOCK SET LAST_RUN = ? WHERE LOCK_NAME = ?', [at, name]);
  }
}
