// An exclusive lock keyed by a name, held until the transaction that takes it ends: what
// ActiveObjects.lock and the plugin settings' read-modify-write use to serialise writers across
// nodes. Nothing to release and nothing to expire: COMMIT or ROLLBACK (or the connection's end,
// when a node dies) frees it.
import { advisoryLockKey } from './PostgresBackend';
import type { SqlRunner } from './SqlRunner';

/** Longest lock name kept (HOST_AO_LOCK.LOCK_NAME). */
const MAX_LOCK_NAME = 191;

/** The name as the lock table keeps it. */
export function transactionLockName(name: string): string {
  return name.slice(0, MAX_LOCK_NAME);
}

/** Takes the lock `name` on the transaction `tx` (see the file comment); waits while another holds it. */
export async function takeTransactionLock(tx: SqlRunner, name: string): Promise<void> {
  // SQLite transactions start with BEGIN IMMEDIATE: the writer lock is already exclusive.
  if (tx.dialect === 'sqlite') return;
  const lockName = transactionLockName(name);
  if (tx.dialect === 'postgres') {
    // A transaction-scoped advisory lock on a 64-bit hash of the name: released by COMMIT or
    // ROLLBACK, no row and no table involved. Under READ COMMITTED every later statement of
    // the transaction sees what the previous holder committed.
    await tx.query('SELECT pg_advisory_xact_lock(CAST(? AS BIGINT))', [advisoryLockKey(lockName)]);
    return;
  }
  // One statement on the transaction's own connection both creates the lock row and takes its
  // exclusive lock: a duplicate key under ON DUPLICATE KEY UPDATE is X-locked at once (no S→X
  // upgrade, so no deadlock between waiters), and no second pooled connection is needed, so
  // any number of concurrent lockers can never exhaust the pool. It is not a consistent read,
  // so the transaction's snapshot still starts after the lock is held.
  await tx.query('INSERT INTO HOST_AO_LOCK (LOCK_NAME, CREATED) VALUES (?, ?) ON DUPLICATE KEY UPDATE LOCK_NAME = LOCK_NAME', [lockName, Date.now()]);
}
