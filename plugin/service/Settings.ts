import type { FieldError } from '../errors/ApiError';
import { checkDto } from '../validation/checkDto';
import { SettingsChange } from './SettingsChange';

export type AuthSchemes = 'basic' | 'bearer' | 'both';
export type AuditTokenUse = 'all' | 'sampled' | 'off';

/** The plugin's settings (docs/api.md "Settings"; their rules: SettingsChange). */
export interface Settings {
  readonly maxValidityMonths: number;
  readonly defaultValidityMonths: number;
  readonly passwordBasicAuthAllowed: boolean;
  readonly authSchemes: AuthSchemes;
  readonly createOnBehalfGroups: readonly string[];
  readonly tokenUserGroups: readonly string[];
  readonly readOnlyOnlyGroups: readonly string[];
  readonly maxTokensPerUser: number;
  readonly ipAllowlist: readonly string[];
  readonly expiryWarningDays: readonly number[];
  readonly notifyOnNewIp: boolean;
  readonly pruneExpiredAfterDays: number;
  readonly revokeUnusedAfterDays: number;
  readonly auditTokenUse: AuditTokenUse;
  /** System admins may create "sudo" tokens (X-Atlassian-Run-As); off by default. */
  readonly sudoTokensAllowed: boolean;
}

export type SettingKey = keyof Settings;

/**
 * The allow- and deny-lists whose empty value is the loosest reading ("any address", "everyone",
 * "nobody is read-only"): a stored value of one that cannot be read is kept apart as unreadable
 * ({@link unreadableLists}) and read as the strictest instead (no address, nobody, everyone).
 */
export type StrictList = 'ipAllowlist' | 'tokenUserGroups' | 'readOnlyOnlyGroups';

/**
 * What a setting reads as when its stored value is there but cannot be read (another version's
 * form, a damaged value): the tightest value of its kind, never the default where the default is
 * looser. The lists of {@link StrictList} keep `[]` and are marked unreadable. Housekeeping
 * (expiry warnings, pruning, revoking unused tokens) keeps its default: a job deleting tokens on
 * a value it could not read would do more harm than waiting.
 */
const UNREADABLE_FALLBACK: Partial<Settings> = Object.freeze({
  maxValidityMonths: 1,
  defaultValidityMonths: 1,
  passwordBasicAuthAllowed: false,
  authSchemes: 'bearer',
  maxTokensPerUser: 1,
  auditTokenUse: 'all',
});

const STRICT_LISTS: readonly StrictList[] = ['ipAllowlist', 'tokenUserGroups', 'readOnlyOnlyGroups'];
const UNREADABLE = 'unreadableLists';

const NONE_UNREADABLE: readonly StrictList[] = Object.freeze([]);

/** The lists of `settings` whose stored value could not be read: they refuse (see {@link StrictList}). */
export function unreadableLists(settings: Settings): readonly StrictList[] {
  // Asked on every token request: no array allocated when none is unreadable.
  return ((settings as unknown as Record<string, unknown>)[UNREADABLE] as readonly StrictList[] | undefined) ?? NONE_UNREADABLE;
}

/** Whether `key`'s stored value could not be read. */
export function isUnreadable(settings: Settings, key: StrictList): boolean {
  return unreadableLists(settings).includes(key);
}

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  maxValidityMonths: 12,
  defaultValidityMonths: 12,
  passwordBasicAuthAllowed: true,
  authSchemes: 'both',
  createOnBehalfGroups: [],
  tokenUserGroups: [],
  readOnlyOnlyGroups: [],
  maxTokensPerUser: 100,
  ipAllowlist: [],
  expiryWarningDays: [7, 1],
  notifyOnNewIp: true,
  pruneExpiredAfterDays: 30,
  revokeUnusedAfterDays: 0,
  auditTokenUse: 'sampled',
  sudoTokensAllowed: false,
});

export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as SettingKey[];

/** The settings that name groups of the user directory: each name must exist when saved. */
export const GROUP_SETTING_KEYS = ['createOnBehalfGroups', 'tokenUserGroups', 'readOnlyOnlyGroups'] as const satisfies readonly SettingKey[];

/**
 * Something a settings change did besides what was asked, to tell the admin (i18n key
 * `apitokenauth.notice.<key>` with `args`).
 */
export interface SettingsNotice {
  readonly field: SettingKey;
  /** The default validity followed a lowered maximum: args [old default, new default]. */
  readonly key: 'defaultLoweredToMaximum';
  readonly args: readonly number[];
}

export type MergeResult =
  | { readonly ok: true; readonly value: Settings; readonly notices: readonly SettingsNotice[] }
  | { readonly ok: false; readonly errors: Record<string, FieldError> };

/** Checks one setting's value (a stored one, read back) as {@link SettingsChange} does. */
function isValidSetting(key: SettingKey, value: unknown): boolean {
  return Object.keys(checkDto(SettingsChange, { [key]: value }, { unknown: 'refuse' }).errors).length === 0;
}

/**
 * Validates a partial settings change against the current settings. Returns the merged settings
 * or the per-field errors (unknown keys are errors too). A maximum validity lowered below the
 * default lowers the default with it (with a notice), unless the same change sets a different
 * default above the maximum (then 400 on `defaultValidityMonths`).
 */
export function mergeSettings(current: Settings, change: unknown): MergeResult {
  const invalid = changeErrors(change);
  if (invalid) return { ok: false, errors: invalid };
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(change as Record<string, unknown>)) {
    if (!Object.hasOwn(DEFAULT_SETTINGS, key)) continue;
    merged[key] = Array.isArray(value) ? distinctEntries(value, (GROUP_SETTING_KEYS as readonly string[]).includes(key)) : value;
  }
  const notices: SettingsNotice[] = [];
  const max = merged.maxValidityMonths as number;
  const defaultMonths = merged.defaultValidityMonths as number;
  if (defaultMonths > max) {
    // A default sent unchanged (a form sends every field) follows the maximum; a new one above it is a mistake.
    if (defaultMonths !== current.defaultValidityMonths) return { ok: false, errors: { defaultValidityMonths: { key: 'defaultAboveMaximum', args: [max] } } };
    merged.defaultValidityMonths = max;
    notices.push({ field: 'defaultValidityMonths', key: 'defaultLoweredToMaximum', args: [defaultMonths, max] });
  }
  return { ok: true, value: Object.freeze(merged) as unknown as Settings, notices };
}

/**
 * A list's entries trimmed, each once, in the order given: a group named twice (Jira's group names
 * are case-insensitive, so `API-Users` is `api-users`) or an allowlist entry twice was stored and
 * shown twice.
 */
function distinctEntries(values: readonly unknown[], ignoreCase: boolean): unknown[] {
  const seen = new Set<unknown>();
  const kept: unknown[] = [];
  for (const value of values) {
    // The warning days are numbers (already refused when repeated).
    const entry = typeof value === 'string' ? value.trim() : value;
    const key = ignoreCase && typeof entry === 'string' ? entry.toLowerCase() : entry;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(entry);
  }
  return kept;
}

/**
 * The errors of a change that do not depend on the stored settings — not an object, an unknown
 * field, a value its own check refuses —; null when there are none. Own keys only: any other name
 * ("__proto__", "constructor", "hasOwnProperty", …) is an unknown field.
 */
export function changeErrors(change: unknown): Record<string, FieldError> | null {
  if (typeof change !== 'object' || change === null || Array.isArray(change)) return { settings: { key: 'object' } };
  const { errors } = checkDto(SettingsChange, change as Record<string, unknown>, { unknown: 'refuse' });
  return Object.keys(errors).length > 0 ? errors : null;
}

/**
 * Reads stored settings (JSON per key): a missing value is the default, one that cannot be read
 * (corrupt, or another version's form) the tightest reading ({@link UNREADABLE_FALLBACK},
 * {@link StrictList}). Keys this version does not know are left alone.
 */
export function settingsFromStorage(stored: Readonly<Record<string, string>>): Settings {
  const result: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const unreadable: StrictList[] = [];
  for (const key of SETTING_KEYS) {
    const name = `settings.${key}`;
    if (!Object.hasOwn(stored, name)) continue;
    const raw = stored[name];
    let value: unknown;
    try {
      value = typeof raw === 'string' ? JSON.parse(raw) : undefined;
    } catch {
      value = undefined;
    }
    if (value !== undefined && isValidSetting(key, value)) {
      result[key] = value;
    } else if ((STRICT_LISTS as readonly string[]).includes(key)) {
      unreadable.push(key as StrictList);
    } else if (Object.hasOwn(UNREADABLE_FALLBACK, key)) {
      result[key] = UNREADABLE_FALLBACK[key];
    }
  }
  if ((result.defaultValidityMonths as number) > (result.maxValidityMonths as number)) result.defaultValidityMonths = result.maxValidityMonths;
  // Not enumerable: not answered by GET, not copied by a merge, not stored again.
  if (unreadable.length > 0) Object.defineProperty(result, UNREADABLE, { value: Object.freeze(unreadable), enumerable: false });
  return Object.freeze(result) as unknown as Settings;
}
