/**
 * The plugin's settings (SAL `PluginSettings`): string key/value pairs kept in the host
 * database, namespaced to the plugin. Values are strings; store JSON for structured values.
 * A `put` on one node is visible to `get` on every node at once (reads go to the database;
 * callers that cache should listen on the cluster channel).
 */
export interface PluginSettings {
  get(key: string): Promise<string | null>;
  getAll(): Promise<Readonly<Record<string, string>>>;
  put(key: string, value: string): Promise<void>;
  remove(key: string): Promise<void>;
}
