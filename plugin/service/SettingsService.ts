import type { AuditChangedValue, AuditService, Logger, PluginSettings } from '../../host-sim/spi';
import { ApiError } from '../errors/ApiError';
import type { InvalidationBus } from './InvalidationBus';
import { mergeSettings, SETTING_KEYS, settingsFromStorage, type Settings } from './Settings';
import { TokenAuditEvents, type AuditSource } from './TokenAuditEvents';

/** The plugin's settings: read from a per-node cache, changed by system admins. */
export interface SettingsService {
  /** The current settings (no database access while cached). */
  get(): Promise<Settings>;
  /** The cached settings, or null when they must be loaded first (then use {@link get}). */
  peek(): Settings | null;
  /** Validates and stores a partial change (400 on bad values), audits it and invalidates every node. */
  update(change: unknown, source: AuditSource): Promise<Settings>;
}

export class DefaultSettingsService implements SettingsService {
  private cached: Settings | null = null;
  private loading: Promise<Settings> | null = null;
  /** Bumped on every invalidation, so that a load started before it is not cached after it. */
  private generation = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly pluginSettings: PluginSettings,
    private readonly audit: AuditService,
    private readonly bus: InvalidationBus,
    private readonly logger: Logger,
  ) {
    this.unsubscribe = bus.subscribe((inv) => {
      if (inv.kind === 'settings' || inv.kind === 'all') this.invalidate();
    });
  }

  peek(): Settings | null {
    return this.cached;
  }

  get(): Promise<Settings> {
    if (this.cached) return Promise.resolve(this.cached);
    if (!this.loading) {
      const generation = this.generation;
      this.loading = this.pluginSettings.getAll()
        .then((stored) => {
          const settings = settingsFromStorage(stored);
          if (generation === this.generation) this.cached = settings;
          return settings;
        })
        .finally(() => { this.loading = null; });
    }
    return this.loading;
  }

  async update(change: unknown, source: AuditSource): Promise<Settings> {
    const current = await this.loadFresh();
    const merged = mergeSettings(current, change);
    if (!merged.ok) throw new ApiError('SETTINGS_INVALID', [], merged.errors);
    const changes: AuditChangedValue[] = [];
    for (const key of SETTING_KEYS) {
      const from = JSON.stringify(current[key]);
      const to = JSON.stringify(merged.value[key]);
      if (from === to) continue;
      await this.pluginSettings.put(`settings.${key}`, to);
      changes.push({ key, from, to });
    }
    if (changes.length > 0) {
      await this.bus.publish({ kind: 'settings' });
      await this.audit.record(TokenAuditEvents.settingsChanged(changes, source));
      this.logger.info('Settings changed', { keys: changes.map((c) => c.key) });
    }
    return merged.value;
  }

  close(): void {
    this.unsubscribe();
  }

  private invalidate(): void {
    this.generation++;
    this.cached = null;
  }

  private async loadFresh(): Promise<Settings> {
    return settingsFromStorage(await this.pluginSettings.getAll());
  }
}
