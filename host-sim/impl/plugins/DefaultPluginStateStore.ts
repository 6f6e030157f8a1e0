// Which plugins are enabled (UPM): in memory, persisted in HOST_PLUGIN_STATE, announced to every
// node (which reads the table again); a change also publishes the host event `plugin-enabled` / `plugin-disabled`.
import type { Logger } from 'winston';
import type { ClusterMessagingService } from '../../spi/ClusterMessagingService';
import type { Clock } from '../../spi/Clock';
import type { EventPublisher } from '../../spi/EventPublisher';
import type { Database } from '../db/Database';
import type { PluginStateStore } from '../HostRuntime';
import { NewestReload } from '../cluster/NewestReload';

const CHANNEL = 'host.plugin-state';
type StateListener = (pluginKey: string, enabled: boolean) => void;

export class DefaultPluginStateStore implements PluginStateStore {
  private readonly enabled = new Map<string, boolean>();
  private readonly listeners = new Set<StateListener>();
  private unregister: (() => void) | null = null;
  private unregisterResync: (() => void) | null = null;
  private readonly reload: NewestReload<Array<[string, boolean]>>;

  constructor(
    private readonly db: Database,
    private readonly messaging: ClusterMessagingService,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.reload = new NewestReload(() => this.load(), (states) => { for (const [pluginKey, enabled] of states) this.apply(pluginKey, enabled); },
      logger, 'plugin states');
  }

  async start(): Promise<void> {
    for (const [pluginKey, enabled] of await this.load()) this.enabled.set(pluginKey, enabled);
    // Changes announced while this node could not read the log may be lost: read the table again.
    // Through NewestReload too: a resync read answered after a newer state must not undo it.
    this.unregisterResync = this.messaging.registerResyncListener(() => this.reload.reloadNow().catch((err: unknown) => {
      this.logger.error('Could not reload plugin states after a cluster resync', { error: String((err as Error)?.message ?? err) });
      throw err;
    }));
    // An announcement means "read the table": what the database holds, not the message, decides,
    // so two changes at once on two nodes end the same everywhere (see NewestReload).
    this.unregister = this.messaging.registerListener(CHANNEL, () => this.reload.trigger());
  }

  isEnabled(pluginKey: string): boolean {
    return this.enabled.get(pluginKey) ?? true;
  }

  async setEnabled(pluginKey: string, enabled: boolean): Promise<void> {
    await this.db.execute(
      this.db.sql.upsert('HOST_PLUGIN_STATE', ['PLUGIN_KEY'], ['PLUGIN_KEY', 'ENABLED', 'UPDATED'], ['ENABLED', 'UPDATED']),
      [pluginKey, enabled ? 1 : 0, this.clock.now()]);
    await this.reload.afterOwnWrite(() => this.apply(pluginKey, enabled));
    await this.messaging.send(CHANNEL, JSON.stringify({ pluginKey, enabled }));
    await this.events.publish(enabled ? { type: 'plugin-enabled', pluginKey } : { type: 'plugin-disabled', pluginKey });
  }

  onChange(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  close(): void {
    this.reload.close();
    this.unregister?.();
    this.unregisterResync?.();
  }

  private async load(): Promise<Array<[string, boolean]>> {
    const rows = await this.db.query<{ PLUGIN_KEY: string; ENABLED: number }>('SELECT PLUGIN_KEY, ENABLED FROM HOST_PLUGIN_STATE');
    return rows.map((row) => [row.PLUGIN_KEY, Number(row.ENABLED) === 1]);
  }

  private apply(pluginKey: string, enabled: boolean): void {
    const before = this.isEnabled(pluginKey);
    this.enabled.set(pluginKey, enabled);
    if (before === enabled) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(pluginKey, enabled);
      } catch (err) {
        this.logger.error('Plugin state listener failed', { pluginKey, error: String((err as Error)?.message ?? err) });
      }
    }
  }
}
