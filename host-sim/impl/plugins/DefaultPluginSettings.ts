// A plugin's settings in HOST_PLUGIN_SETTING. Reads go to the database, so a put on one node is
// visible everywhere at once; the put is also broadcast for plugins that cache settings.
import type { ClusterMessagingService } from '../../spi/ClusterMessagingService';
import type { Clock } from '../../spi/Clock';
import type { PluginSettings } from '../../spi/PluginSettings';
import type { Database } from '../db/Database';

/** Channel on which every settings change is announced; payload `{"pluginKey","key"}`. */
export const PLUGIN_SETTINGS_CHANNEL = 'host.plugin-settings';

export class DefaultPluginSettings implements PluginSettings {
  constructor(
    private readonly db: Database,
    private readonly messaging: ClusterMessagingService,
    private readonly clock: Clock,
    private readonly pluginKey: string,
  ) {}

  async get(key: string): Promise<string | null> {
    const rows = await this.db.query<{ SETTING_VALUE: string }>(
      'SELECT SETTING_VALUE FROM HOST_PLUGIN_SETTING WHERE PLUGIN_KEY = ? AND SETTING_KEY = ?', [this.pluginKey, key]);
    return rows.length ? rows[0].SETTING_VALUE : null;
  }

  async getAll(): Promise<Readonly<Record<string, string>>> {
    const rows = await this.db.query<{ SETTING_KEY: string; SETTING_VALUE: string }>(
      'SELECT SETTING_KEY, SETTING_VALUE FROM HOST_PLUGIN_SETTING WHERE PLUGIN_KEY = ? ORDER BY SETTING_KEY', [this.pluginKey]);
    const all: Record<string, string> = {};
    for (const row of rows) all[row.SETTING_KEY] = row.SETTING_VALUE;
    return all;
  }

  async put(key: string, value: string): Promise<void> {
    if (typeof value !== 'string') throw new TypeError('Plugin settings values are strings');
    await this.db.execute(
      this.db.sql.upsert('HOST_PLUGIN_SETTING', ['PLUGIN_KEY', 'SETTING_KEY'],
        ['PLUGIN_KEY', 'SETTING_KEY', 'SETTING_VALUE', 'UPDATED'], ['SETTING_VALUE', 'UPDATED']),
      [this.pluginKey, key, value, this.clock.now()]);
    await this.announce(key);
  }

  async remove(key: string): Promise<void> {
    await this.db.execute('DELETE FROM HOST_PLUGIN_SETTING WHERE PLUGIN_KEY = ? AND SETTING_KEY = ?', [this.pluginKey, key]);
    await this.announce(key);
  }

  private async announce(key: string): Promise<void> {
    await this.messaging.send(PLUGIN_SETTINGS_CHANNEL, JSON.stringify({ pluginKey: this.pluginKey, key }));
  }
}
