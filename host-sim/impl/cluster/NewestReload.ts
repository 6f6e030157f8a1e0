// State that the cluster announces by "it changed" rather than by value: each announcement reads
// the database again, and only the newest read started is applied. A value carried in the message
// would let two changes made at once on two nodes cross: each node would end up with the other's
// value, and the nodes would disagree until a restart (found for the plugin kill switch).
import type { Logger } from 'winston';

/** Pause before a failed read is tried again (the database gone for a moment). */
const RETRY_MS = 1000;

export class NewestReload<T> {
  private generation = 0;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly apply: (value: T) => void,
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  /** Reads again; a read that is overtaken by a later one is not applied. */
  trigger(): void {
    const mine = this.generation + 1;
    this.reloadNow().catch((err: unknown) => {
      this.logger.error(`Could not read the ${this.what} again after a cluster announcement; trying again`, { error: String((err as Error)?.message ?? err) });
      if (mine === this.generation) this.scheduleRetry();
    });
  }

  /**
   * Reads again and resolves once the read is applied, or not applied because a newer read
   * overtook it; rejects when the read fails. A cluster resync reloads this
   * way: applied whenever it came back, its read could put back a value older than one applied
   * meanwhile (a stalled event loop answers reads in any order), for good.
   */
  async reloadNow(): Promise<void> {
    if (this.closed) return;
    const mine = ++this.generation;
    const value = await this.read();
    if (mine === this.generation && !this.closed) this.apply(value);
  }

  /**
   * After this node stored a value itself: reads the table again instead of applying that value.
   * Between the commit and the moment this node handles its answer, another node may store a newer
   * value and announce it, and this node may read and apply it: applying our own value after that
   * put the older one back, for good (nothing announces it again; seen as the kill switch on one
   * node and an enable on another both ending enabled while the database held disabled). This read
   * starts after our commit, so it finds our value or a newer one. When it fails, `own` (stored,
   * after all) is applied unless a newer read started meanwhile, and the table is read again later.
   */
  async afterOwnWrite(own: () => void): Promise<void> {
    if (this.closed) return;
    const mine = this.generation + 1;
    try {
      await this.reloadNow();
    } catch (err) {
      if (mine === this.generation && !this.closed) own();
      this.logger.warn(`Could not read the ${this.what} again after storing a change; applied the change and trying again`,
        { error: String((err as Error)?.message ?? err) });
      this.scheduleRetry();
    }
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private scheduleRetry(): void {
    if (this.retry || this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.trigger();
    }, RETRY_MS);
    this.retry.unref();
  }
}
