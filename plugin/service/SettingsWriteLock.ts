import type { ClusterLock, ClusterLockService } from '../../host-sim/spi';
import { ApiError } from '../errors/ApiError';

const LOCK_NAME = 'apitokenauth:settings-write';
/** A settings change takes milliseconds; a node that dies holding the lock frees it after this. */
const LEASE_MS = 10_000;
/** Longer than the lease: a lock left by a dead node is taken over rather than answered with 503. */
const WAIT_MS = 12_000;

/**
 * Settings changes one after another, on this node and across the cluster. Each change reads the
 * stored settings, checks itself against them (through a token: only a tightening) and then
 * writes key by key; another change between that read and those writes was written over, or
 * checked against settings no longer stored. Found by the attack review of 2026-12-04: a stolen
 * administrator token's tightening, held back, put back a group its administrator had removed
 * meanwhile.
 */
export class SettingsWriteLock {
  /** The last change queued on this node: the next one waits for it before asking the cluster. */
  private tail: Promise<void> = Promise.resolve();

  /** `cluster`: null where there is one node only (unit tests). */
  constructor(private readonly cluster: ClusterLockService | null) {}

  async run<T>(change: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let done!: () => void;
    this.tail = new Promise<void>((resolve) => { done = resolve; });
    try {
      await previous;
      const lock = await this.acquire();
      try {
        return await change();
      } finally {
        // A failed unlock (database gone) leaves the lease to end the lock.
        await lock?.unlock().catch(() => undefined);
      }
    } finally {
      done();
    }
  }

  private async acquire(): Promise<ClusterLock | null> {
    if (!this.cluster) return null;
    const deadline = performance.now() + WAIT_MS;
    for (let delay = 5; ; delay = Math.min(delay * 2, 250)) {
      const lock = await this.cluster.tryLock(LOCK_NAME, LEASE_MS);
      if (lock) return lock;
      if (performance.now() + delay > deadline) throw new ApiError('DATABASE_UNAVAILABLE');
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
