// A plugin's settings in HOST_PLUGIN_SETTING. Reads go to the database, so a put on one node is
// visible everywhere at once; the put is also broadcast for plugins that cache settings.
import type { ClusterMessagingService } from '../../spi/ClusterMessagingService';
import type { Clock } from '../../spi/Clock';
import type { PluginSettings, PluginSettingsDecision } from '../../spi/PluginSettings';
import type { Database } from '../db/Database';
import type { SqlRunner } from '../db/SqlRunner';
import { takeTransactionLock } from '../db/transactionLock';

/** Channel on which every settings change is announced; payload `{"pluginKey","key"}`. */
export const PLUGIN_SETTINGS_CHANNEL = 'host.plugin-settings';

/** Deadlock victims are run again up to this many times (PluginSettings.update). */
const UPDATE_CONFLICT_RETRIES = 4;

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

  getAll(): Promise<Readonly<Record<string, string>>> {
    return this.readAll(this.db);
  }

  private async readAll(runner: SqlRunner): Promise<Readonly<Record<string, string>>> {
    const rows = await runner.query<{ SETTING_KEY: string; SETTING_VALUE: string }>(
      'SELECT SETTING_KEY, SETTING_VALUE FROM HOST_PLUGIN_SETTING WHERE PLUGIN_KEY = ? ORDER BY SETTING_KEY', [this.pluginKey]);
    const all: Record<string, string> = {};
    for (const row of rows) all[row.SETTING_KEY] = row.SETTING_VALUE;
    return all;
  }

  async put(key: string, value: string): Promise<void> {
    await this.write(this.db, key, value);
    await this.announce(key);
  }

  async remove(key: string): Promise<void> {
    await this.write(this.db, key, null);
    await this.announce(key);
  }

  async update<T>(decide: (current: Readonly<Record<string, string>>) => Promise<PluginSettingsDecision<T>> | PluginSettingsDecision<T>): Promise<T> {
    const { keys, result } = await this.db.transaction(async (tx) => {
      // Taken before the read: the transaction's snapshot (MySQL's REPEATABLE READ) starts after it.
      await takeTransactionLock(tx, `host.plugin-settings:${this.pluginKey}`);
      const decision = await decide(await this.readAll(tx));
      const written = Object.entries(decision.writes);
      // A value that is no string throws part-way: the transaction then stores none of them.
      for (const [key, value] of written) await this.write(tx, key, value);
      return { keys: written.map(([key]) => key), result: decision.result };
    }, { conflictRetries: UPDATE_CONFLICT_RETRIES });
    // Committed, so resolved: an announcement the change log cannot take now stays with the
    // messaging service, which writes it once the log takes writes again.
    for (const key of keys) await this.announce(key).catch(() => undefined);
    return result;
  }

  /** Stores `value` under `key` (null: removes it), on `runner` (the database or a transaction). */
  private async write(runner: SqlRunner, key: string, value: string | null): Promise<void> {
    if (value !== null && typeof value !== 'string') throw new TypeError('Plugin settings values are strings (or null to remove one)');
    if (value === null) {
      await runner.execute('DELETE FROM HOST_PLUGIN_SETTING WHERE PLUGIN_KEY = ? AND SETTING_KEY = ?', [this.pluginKey, key]);
      return;
    }
    await runner.execute(
      this.db.sql.upsert('HOST_PLUGIN_SETTING', ['PLUGIN_KEY', 'SETTING_KEY'],
        ['PLUGIN_KEY', 'SETTING_KEY', 'SETTING_VALUE', 'UPDATED'], ['SETTING_VALUE', 'UPDATED']),
      [this.pluginKey, key, value, this.clock.now()]);
  }

  private async announce(key: string): Promise<void> {
    await this.messaging.send(PLUGIN_SETTINGS_CHANNEL, JSON.stringify({ pluginKey: this.pluginKey, key }));
  }
}
