import type { AuditChangedValue, AuditService, Logger, PermissionManager, PluginSettings } from '../../host-sim/spi';
import { ApiError, type FieldError } from '../errors/ApiError';
import { publishCommitted } from './CommittedChange';
import { DEFAULT_CACHE_MAX_AGE_MS, type InvalidationBus } from './InvalidationBus';
import { DEFAULT_DATABASE_TIMEOUT_MS, withDeadline } from './Deadline';
import { changeErrors, GROUP_SETTING_KEYS, mergeSettings, SETTING_KEYS, settingsFromStorage, type Settings, type SettingsNotice } from './Settings';
import { TokenAuditEvents, type AuditSource } from './TokenAuditEvents';
import { loosenedSettings } from './SettingsLoosening';

/** The stored settings after a change, and what the change did besides what was asked. */
export interface SettingsUpdate {
  readonly settings: Settings;
  readonly notices: readonly SettingsNotice[];
}

/** Which group names do not exist (the host's PermissionManager). */
export type GroupDirectory = Pick<PermissionManager, 'unknownGroups'>;

/** The plugin's settings: read from a per-node cache, changed by system admins. */
export interface SettingsService {
  /** The current settings (no database access while cached). */
  get(): Promise<Settings>;
  /** The cached settings, or null when they must be loaded first (then use {@link get}). */
  peek(): Settings | null;
  /**
   * Validates and stores a partial change (400 on bad values, also on a group name that names
   * no group), audits it and invalidates every node. `throughToken`: made through an API token,
   * which may only tighten settings (403 SETTINGS_LOOSENED_THROUGH_TOKEN naming the fields
   * it would relax, nothing stored; see SettingsLoosening).
   */
  update(change: unknown, source: AuditSource, throughToken?: boolean): Promise<SettingsUpdate>;
}

/** The longest delay setTimeout keeps; a longer one fires after 1 ms (TimeoutOverflowWarning). */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export class DefaultSettingsService implements SettingsService {
  private cached: Settings | null = null;
  /** After close no invalidation arrives: nothing loaded then may be kept. */
  private closed = false;
  /** Drops {@link cached} when it reaches its age limit (a lost `settings` invalidation is outlived). */
  private expiry: NodeJS.Timeout | null = null;
  private loading: Promise<Settings> | null = null;
  /** Bumped on every invalidation, so that a load started before it is not cached after it. */
  private generation = 0;
  private readonly unsubscribe: () => void;
  /**
   * The last change queued on this node: the next waits for it before opening its transaction,
   * so that changes sent at once (a stolen administrator token in a loop) wait here, not each on a
   * pooled connection that the token path needs too.
   */
  private changes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pluginSettings: PluginSettings,
    private readonly audit: AuditService,
    private readonly bus: InvalidationBus,
    private readonly logger: Logger,
    private readonly groups: GroupDirectory,
    /** The longest the cached settings are used before they are read again. */
    private readonly maxAgeMs: number = DEFAULT_CACHE_MAX_AGE_MS,
    /**
     * How long the shared settings read may go unanswered: every request waits for it, so a read
     * on a stalled connection is given up (503) and the next request reads again.
     */
    private readonly readTimeoutMs: number = DEFAULT_DATABASE_TIMEOUT_MS,
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
      const loading = withDeadline(this.pluginSettings.getAll(), this.readTimeoutMs, 'The plugin settings read')
        .then((stored) => {
          const settings = settingsFromStorage(stored);
          if (generation === this.generation) this.keep(settings);
          return settings;
        })
        .finally(() => { if (this.loading === loading) this.loading = null; });
      this.loading = loading;
    }
    return this.loading;
  }

  async update(change: unknown, source: AuditSource, throughToken = false): Promise<SettingsUpdate> {
    // A change's shape, its values on their own and the groups it names do not depend on the
    // stored settings: bad input is refused before waiting for other changes (it changes nothing
    // and takes no lock).
    const invalid = changeErrors(change);
    const groupErrors = await this.unknownGroupErrors(change, invalid ?? {});
    if (invalid) throw new ApiError('SETTINGS_INVALID', [], { ...invalid, ...groupErrors });
    const run = this.changes.then(() => this.updateNow(change, source, throughToken, groupErrors));
    this.changes = run.catch(() => undefined);
    return run;
  }

  /**
   * {@link update} as one read-check-write of the stored settings (PluginSettings.update): no other
   * change, on any node, comes between the settings it is checked against and its write, however
   * long that write takes (a lock with a lease let a stalled write land over a later change), and
   * it is written whole or not at all.
   */
  private async updateNow(change: unknown, source: AuditSource, throughToken: boolean, groupErrors: Record<string, FieldError> | null): Promise<SettingsUpdate> {
    let before: Settings | null = null;
    let decided: SettingsUpdate & { readonly changes: readonly AuditChangedValue[] };
    try {
      decided = await this.pluginSettings.update((stored) => {
        const current = settingsFromStorage(stored);
        before = current;
        const merged = mergeSettings(current, change);
        if (!merged.ok || groupErrors) throw new ApiError('SETTINGS_INVALID', [], { ...(merged.ok ? {} : merged.errors), ...groupErrors });
        const loosened = throughToken ? loosenedSettings(current, merged.value) : [];
        if (loosened.length > 0) {
          throw new ApiError('SETTINGS_LOOSENED_THROUGH_TOKEN', [], Object.fromEntries(loosened.map((key) => [key, { key: 'loosenedThroughToken' }])));
        }
        const changes = changedSettings(current, merged.value);
        return {
          writes: Object.fromEntries(changes.map(({ key, to }) => [`settings.${key}`, to])),
          result: { settings: merged.value, notices: merged.notices, changes },
        };
      });
    } catch (err) {
      if (err instanceof ApiError || before === null) throw err;
      // The commit itself may have failed without a word on whether it took: the invalidation
      // goes out — applied here at once, and sent again by the bus until it is delivered — and
      // whatever is stored now that differs is audited, or a change could stand that the audit
      // log never shows (review 12).
      await this.bus.publish({ kind: 'settings' }).catch(() => undefined);
      await this.recordStoredPart(before, source);
      throw err;
    }
    if (decided.changes.length > 0) {
      // Committed: audited even when the invalidation could not be sent (then answered with its error).
      await publishCommitted(this.bus, { kind: 'settings' }, () => this.recordChanges(decided.changes, source));
    }
    return { settings: decided.settings, notices: decided.notices };
  }

  /** Audits and logs a stored change; an audit log that cannot be written is logged and does not undo it. */
  private async recordChanges(changes: readonly AuditChangedValue[], source: AuditSource): Promise<void> {
    try {
      await this.audit.record(TokenAuditEvents.settingsChanged([...changes], source));
    } catch (err) {
      this.logger.error('Could not write the audit event of a settings change', { keys: changes.map((c) => c.key), error: String(err) });
    }
    this.logger.info('Settings changed', { keys: changes.map((c) => c.key) });
  }

  /**
   * After a change failed: reads what is stored and audits how it differs from `before` (nothing
   * when the change did not commit). When even that read fails, the log says so.
   */
  private async recordStoredPart(before: Settings, source: AuditSource): Promise<void> {
    let stored: Settings;
    try {
      stored = await this.loadFresh();
    } catch (err) {
      this.logger.error('A settings change failed and what is stored could not be read back to audit it', { error: String(err) });
      return;
    }
    const changes = changedSettings(before, stored);
    if (changes.length > 0) await this.recordChanges(changes, source);
  }

  /**
   * One error per group setting of the change that names a group the host does not know (a
   * typo in `tokenUserGroups` would refuse every token); null when there is none. Only settings
   * that passed their own check are looked up.
   */
  private async unknownGroupErrors(change: unknown, invalid: Readonly<Record<string, FieldError>>): Promise<Record<string, FieldError> | null> {
    if (typeof change !== 'object' || change === null) return null;
    const errors: Record<string, FieldError> = {};
    for (const key of GROUP_SETTING_KEYS) {
      if (!Object.hasOwn(change, key) || Object.hasOwn(invalid, key)) continue;
      // Passed its own check: a list of at most 100 non-blank names.
      const names = (change as Record<string, unknown>)[key] as readonly string[];
      const unknown = await this.groups.unknownGroups(names.map((n) => n.trim()));
      if (unknown.length > 0) errors[key] = { key: unknown.length === 1 ? 'unknownGroup' : 'unknownGroups', args: [unknown.map((n) => `"${n}"`).join(', ')] };
    }
    return Object.keys(errors).length > 0 ? errors : null;
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    this.invalidate();
  }

  private keep(settings: Settings): void {
    if (this.closed) return;
    this.cached = settings;
    if (this.expiry) clearTimeout(this.expiry);
    // A timer instead of an age check: peek() is on every token request.
    this.expiry = setTimeout(() => {
      this.expiry = null;
      this.invalidate();
    }, Math.min(this.maxAgeMs, MAX_TIMER_DELAY_MS));
    this.expiry.unref();
  }

  private invalidate(): void {
    this.generation++;
    this.cached = null;
    // A read under way may hold what the change replaced: only requests already waiting for it
    // take its answer; later ones read again (race review).
    this.loading = null;
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
  }

  private async loadFresh(): Promise<Settings> {
    return settingsFromStorage(await this.pluginSettings.getAll());
  }
}

/** The settings that differ between `before` and `after`, each as its stored JSON (what is written and audited). */
function changedSettings(before: Settings, after: Settings): AuditChangedValue[] {
  const changes: AuditChangedValue[] = [];
  for (const key of SETTING_KEYS) {
    const from = JSON.stringify(before[key]);
    const to = JSON.stringify(after[key]);
    if (from !== to) changes.push({ key, from, to });
  }
  return changes;
}
