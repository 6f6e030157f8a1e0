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
  /**
   * A read-modify-write of the settings as one database transaction: reads every setting, lets
   * `decide` work out the changes from them, writes those changes and commits — holding the
   * plugin's settings exclusively, on every node, from the read to the commit. Another `update`
   * waits for it and then reads what it wrote; there is no lease to outlast, so a stalled
   * change never lands over a later one, and nothing is left half-written. `decide` may throw
   * to write nothing (its error is passed on); it must not act on the outside world, for the
   * host runs it again when the database rolls the transaction back as a deadlock victim. Keep
   * it short: other updates, and on SQLite every write of the node, wait for it. After the
   * commit each written key is announced as by `put` (one the change log cannot take yet is sent
   * later, not thrown). Resolves to `decide`'s `result` once committed.
   */
  update<T>(decide: (current: Readonly<Record<string, string>>) => Promise<PluginSettingsDecision<T>> | PluginSettingsDecision<T>): Promise<T>;
}

/** What {@link PluginSettings.update}'s `decide` returns. */
export interface PluginSettingsDecision<T> {
  /** Keys to write: a string stores it, null removes the key. */
  readonly writes: Readonly<Record<string, string | null>>;
  /** What `update` resolves to. */
  readonly result: T;
}
