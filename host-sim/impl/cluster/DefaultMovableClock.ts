// The host clock: wall time plus an offset that the dev toolbox can move. The offset is kept in
// HOST_PROPERTY and announced (each node reads it again), so every node of the cluster agrees on
// the time. A node without dev mode keeps real time: an offset left from testing, or moved on a
// dev-mode node of the same cluster, would revive expired tokens and move every term there.
import type { ClusterMessagingService } from '../../spi/ClusterMessagingService';
import type { Database } from '../db/Database';
import type { Logger } from 'winston';
import type { MovableClock } from '../HostRuntime';
import { NewestReload } from './NewestReload';

const PROPERTY = 'clock.offset.millis';
const CHANNEL = 'host.clock';

export class DefaultMovableClock implements MovableClock {
  private offset = 0;
  private unregister: (() => void) | null = null;
  private unregisterResync: (() => void) | null = null;
  private messaging: ClusterMessagingService | null = null;

  private readonly reload: NewestReload<number>;

  /** `followsOffset`: the node is in dev mode, so the stored offset applies to it. */
  constructor(private readonly db: Database, private readonly logger: Logger, private readonly followsOffset = true) {
    this.reload = new NewestReload(() => this.read(), (offset) => { this.offset = offset; }, logger, 'clock offset');
  }

  /** Loads the persisted offset and follows changes made on other nodes. */
  async start(messaging: ClusterMessagingService): Promise<void> {
    if (!this.followsOffset) {
      const stored = await this.read();
      if (stored !== 0) {
        this.logger.warn('The clock offset stored through the dev toolbox is ignored: this node is not in dev mode (DEV_MODE) and keeps real time',
          { offsetMillis: stored });
      }
      return;
    }
    await this.load();
    // An announcement means "read it again" (see NewestReload): two moves at once end the same everywhere.
    this.unregister = messaging.registerListener(CHANNEL, () => this.reload.trigger());
    // A move announced while this node could not read the log may be lost: read it again (through
    // NewestReload: a resync read answered after a newer move must not undo it).
    this.unregisterResync = messaging.registerResyncListener(() => this.reload.reloadNow());
    this.messaging = messaging;
  }

  private async load(): Promise<void> {
    this.offset = await this.read();
  }

  private async read(): Promise<number> {
    const rows = await this.db.query<{ PROP_VALUE: string }>('SELECT PROP_VALUE FROM HOST_PROPERTY WHERE PROP_KEY = ?', [PROPERTY]);
    return parseOffset(rows[0]?.PROP_VALUE);
  }

  now(): number {
    return Date.now() + this.offset;
  }

  getOffsetMillis(): number {
    return this.offset;
  }

  async setOffsetMillis(offset: number): Promise<void> {
    if (!Number.isSafeInteger(offset)) throw new RangeError('The clock offset must be a whole number of milliseconds');
    if (!this.followsOffset) throw new Error('The clock moves only on a node in dev mode (DEV_MODE)');
    await this.db.execute(this.db.sql.upsert('HOST_PROPERTY', ['PROP_KEY'], ['PROP_KEY', 'PROP_VALUE'], ['PROP_VALUE']), [PROPERTY, String(offset)]);
    await this.reload.afterOwnWrite(() => { this.offset = offset; });
    if (this.messaging) await this.messaging.send(CHANNEL, String(offset));
  }

  close(): void {
    this.reload.close();
    this.unregister?.();
    this.unregisterResync?.();
  }
}

function parseOffset(value: string | undefined): number {
  const n = Number(value ?? 0);
  return Number.isSafeInteger(n) ? n : 0;
}
