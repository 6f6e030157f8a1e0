/**
 * Limits how many of this store's locking transactions run at once on this node. A locking
 * transaction holds one pooled connection and briefly needs a second one (the host creates the
 * lock row outside the transaction), so unbounded concurrency could take every pooled
 * connection and wait forever for one more.
 */
export class TransactionGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly maxConcurrent: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
