// UPM licence states: answered from memory, persisted in HOST_PLUGIN_LICENSE and kept coherent
// across the cluster by announcing every change (each node reads the table again). A plugin
// without a stored state is licensed.
import type { Logger } from 'winston';
import type { ClusterMessagingService } from '../../spi/ClusterMessagingService';
import type { Clock } from '../../spi/Clock';
import type { LicenseManager, LicenseState } from '../../spi/LicenseManager';
import type { Database } from '../db/Database';
import { HostError } from '../HostError';
import type { LicenseAdministration } from '../HostRuntime';
import { NewestReload } from '../cluster/NewestReload';

const CHANNEL = 'host.licenses';
const STATES: readonly LicenseState[] = ['valid', 'expired', 'none'];

export class DefaultLicenseAdministration implements LicenseAdministration {
  private readonly states = new Map<string, LicenseState>();
  private unregister: (() => void) | null = null;
  private unregisterResync: (() => void) | null = null;

  private readonly reload: NewestReload<Array<{ PLUGIN_KEY: string; LICENSE_STATE: string }>>;

  constructor(private readonly db: Database, private readonly messaging: ClusterMessagingService, private readonly clock: Clock,
    private readonly logger: Logger) {
    this.reload = new NewestReload(() => this.read(), (rows) => this.applyRows(rows), logger, 'licence states');
  }

  async start(): Promise<void> {
    await this.load();
    // An announcement means "read the table" (see NewestReload): two changes at once end the same everywhere.
    this.unregister = this.messaging.registerListener(CHANNEL, () => this.reload.trigger());
    // Changes announced while this node could not read the log may be lost: read the table again.
    // Through NewestReload too: a resync read answered after a newer state must not undo it.
    this.unregisterResync = this.messaging.registerResyncListener(() => this.reload.reloadNow().catch((err: unknown) => {
      this.logger.error('Could not reload licence states after a cluster resync', { error: String((err as Error)?.message ?? err) });
      throw err;
    }));
  }

  private async load(): Promise<void> {
    this.applyRows(await this.read());
  }

  private read(): Promise<Array<{ PLUGIN_KEY: string; LICENSE_STATE: string }>> {
    return this.db.query<{ PLUGIN_KEY: string; LICENSE_STATE: string }>('SELECT PLUGIN_KEY, LICENSE_STATE FROM HOST_PLUGIN_LICENSE');
  }

  private applyRows(rows: ReadonlyArray<{ PLUGIN_KEY: string; LICENSE_STATE: string }>): void {
    for (const row of rows) if (isState(row.LICENSE_STATE)) this.states.set(row.PLUGIN_KEY, row.LICENSE_STATE);
  }

  getState(pluginKey: string): LicenseState {
    return this.states.get(pluginKey) ?? 'valid';
  }

  async setState(pluginKey: string, state: LicenseState): Promise<void> {
    if (!isState(state)) throw new HostError('INVALID_INPUT', `Unknown licence state ${String(state)}`);
    await this.db.execute(
      this.db.sql.upsert('HOST_PLUGIN_LICENSE', ['PLUGIN_KEY'], ['PLUGIN_KEY', 'LICENSE_STATE', 'UPDATED'], ['LICENSE_STATE', 'UPDATED']),
      [pluginKey, state, this.clock.now()]);
    await this.reload.afterOwnWrite(() => this.states.set(pluginKey, state));
    await this.messaging.send(CHANNEL, JSON.stringify({ pluginKey, state }));
  }

  /** The plugin-facing view of one plugin's licence. */
  managerFor(pluginKey: string): LicenseManager {
    return {
      getLicenseState: () => this.getState(pluginKey),
      isLicensed: () => this.getState(pluginKey) === 'valid',
    };
  }

  close(): void {
    this.reload.close();
    this.unregister?.();
    this.unregisterResync?.();
  }
}

function isState(value: unknown): value is LicenseState {
  return STATES.includes(value as LicenseState);
}
