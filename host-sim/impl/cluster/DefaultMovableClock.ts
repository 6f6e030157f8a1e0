// The host clock: wall time plus an offset that the dev toolbox can move. The offset is kept in
// HOST_PROPERTY and broadcast, so every node of the cluster agrees on the time.
import type { ClusterMessagingService } from '../../spi/ClusterMessagingService';
import type { Database } from '../db/Database';
import type { MovableClock } from '../HostRuntime';

const PROPERTY = 'clock.offset.millis';
const CHANNEL = 'host.clock';

export class DefaultMovableClock implements MovableClock {
  private offset = 0;
  private unregister: (() => void) | null = null;
  private unregisterResync: (() => void) | null = null;
  private messaging: ClusterMessagingService | null = null;

  constructor(private readonly db: Database) {}

  /** Loads the persisted offset and follows changes made on other nodes. */
  async start(messaging: ClusterMessagingService): Promise<void> {
    await this.load();
    this.unregister = messaging.registerListener(CHANNEL, (message) => { this.offset = parseOffset(message.payload); });
    // A move announced while this node could not read the log may be lost: read it again.
    this.unregisterResync = messaging.registerResyncListener(() => this.load());
    this.messaging = messaging;
  }

  private async load(): Promise<void> {
    const rows = await this.db.query<{ PROP_VALUE: string }>('SELECT PROP_VALUE FROM HOST_PROPERTY WHERE PROP_KEY = ?', [PROPERTY]);
    this.offset = parseOffset(rows[0]?.PROP_VALUE);
  }

  now(): number {
    return Date.now() + this.offset;
  }

  getOffsetMillis(): number {
    return this.offset;
  }

  async setOffsetMillis(offset: number): Promise<void> {
    if (!Number.isSafeInteger(offset)) throw new RangeError('The clock offset must be a whole number of milliseconds');
    await this.db.execute(this.db.sql.upsert('HOST_PROPERTY', ['PROP_KEY'], ['PROP_KEY', 'PROP_VALUE'], ['PROP_VALUE']), [PROPERTY, String(offset)]);
    this.offset = offset;
    if (this.messaging) await this.messaging.send(CHANNEL, String(offset));
  }

  close(): void {
    this.unregister?.();
    this.unregisterResync?.();
  }
}

function parseOffset(value: string | undefined): number {
  const n = Number(value ?? 0);
  return Number.isSafeInteger(n) ? n : 0;
}
