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

  /** Reads again; a read that is overtaken by a later one (or by {@link supersede}) is not applied. */
  trigger(): void {
    const mine = this.generation + 1;
    this.reloadNow().catch((err: unknown) => {
      this.logger.error(`Could not read the ${this.what} again after a cluster announcement; trying again`, { error: String((err as Error)?.message ?? err) });
      if (mine === this.generation) this.scheduleRetry();
    });
  }

  /**
   * Reads again and resolves once the read is applied, or not applied because a newer read (or
   * {@link supersede}) overtook it; rejects when the read fails. A cluster resync reloads this
   * way: applied whenever it came back, its read could put back a value older than one applied
   * meanwhile (a stalled event loop answers reads in any order), for good.
   */
  async reloadNow(): Promise<void> {
    if (this.closed) return;
    const mine = ++this.generation;
    const value = await this.read();
    if (mine === this.generation && !this.closed) this.apply(value);
  }

  /** A value this node just stored and applied itself: reads started before it must not undo it. */
  supersede(): void {
    this.generation++;
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
