import { validateIpEntries } from '../restrictions';
import type { FieldError } from '../errors/ApiError';

export type AuthSchemes = 'basic' | 'bearer' | 'both';
export type AuditTokenUse = 'all' | 'sampled' | 'off';

/** The plugin's settings (SPEC §7). */
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

const MAX_LIST = 100;
const MAX_NAME = 255;

type Check = (value: unknown) => FieldError | null;

const int = (min: number, max: number): Check => (v) =>
  (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) ? null : { key: 'integerRange', args: [min, max] };
const bool: Check = (v) => (typeof v === 'boolean' ? null : { key: 'boolean' });
const oneOf = (...allowed: string[]): Check => (v) =>
  (typeof v === 'string' && allowed.includes(v) ? null : { key: 'oneOf', args: [allowed.join(', ')] });
const names: Check = (v) => {
  if (!Array.isArray(v) || v.length > MAX_LIST) return { key: 'stringList', args: [MAX_LIST] };
  return v.every((s) => typeof s === 'string' && s.trim().length > 0 && s.length <= MAX_NAME) ? null : { key: 'stringList', args: [MAX_LIST] };
};
// The restrictions engine's reader, so the setting stores only entries its matcher understands.
const ips: Check = (v) => {
  if (!Array.isArray(v) || v.length > MAX_LIST) return { key: 'ipList', args: [MAX_LIST] };
  const ok = v.every((s) => typeof s === 'string' && s.length <= 64) && validateIpEntries(v, MAX_LIST).ok;
  return ok ? null : { key: 'ipList', args: [MAX_LIST] };
};
const days: Check = (v) => {
  if (!Array.isArray(v) || v.length > 10) return { key: 'dayList' };
  const ok = v.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= 365) && new Set(v).size === v.length;
  return ok ? null : { key: 'dayList' };
};

const CHECKS: Record<SettingKey, Check> = {
  maxValidityMonths: int(1, 1200),
  defaultValidityMonths: int(1, 1200),
  passwordBasicAuthAllowed: bool,
  authSchemes: oneOf('basic', 'bearer', 'both'),
  createOnBehalfGroups: names,
  tokenUserGroups: names,
  readOnlyOnlyGroups: names,
  maxTokensPerUser: int(1, 100000),
  ipAllowlist: ips,
  expiryWarningDays: days,
  notifyOnNewIp: bool,
  pruneExpiredAfterDays: int(0, 36500),
  revokeUnusedAfterDays: int(0, 36500),
  auditTokenUse: oneOf('all', 'sampled', 'off'),
  sudoTokensAllowed: bool,
};

/**
 * Validates a partial settings change against the current settings. Returns the merged settings
 * or the per-field errors (unknown keys are errors too). A maximum validity lowered below the
 * default lowers the default with it (with a notice), unless the same change sets a different
 * default above the maximum (then 400 on `defaultValidityMonths`).
 */
export function mergeSettings(current: Settings, change: unknown): MergeResult {
  if (typeof change !== 'object' || change === null || Array.isArray(change)) {
    return { ok: false, errors: { settings: { key: 'object' } } };
  }
  // No prototype: a key such as "__proto__" is then an own entry like any other.
  const errors: Record<string, FieldError> = Object.create(null) as Record<string, FieldError>;
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(change)) {
    // Own keys only: `key in CHECKS` would accept "__proto__", "constructor", "hasOwnProperty", ….
    if (!Object.hasOwn(CHECKS, key)) { errors[key] = { key: 'unknownField' }; continue; }
    const problem = CHECKS[key as SettingKey](value);
    if (problem) errors[key] = problem;
    else merged[key] = Array.isArray(value) ? [...value].map((x) => (typeof x === 'string' ? x.trim() : x)) : value;
  }
  const notices: SettingsNotice[] = [];
  const max = merged.maxValidityMonths as number;
  const defaultMonths = merged.defaultValidityMonths as number;
  if (Object.keys(errors).length === 0 && defaultMonths > max) {
    // A default sent unchanged (a form sends every field) follows the maximum; a new one above it is a mistake.
    if (defaultMonths !== current.defaultValidityMonths) errors.defaultValidityMonths = { key: 'defaultAboveMaximum', args: [max] };
    else {
      merged.defaultValidityMonths = max;
      notices.push({ field: 'defaultValidityMonths', key: 'defaultLoweredToMaximum', args: [defaultMonths, max] });
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: Object.freeze(merged) as unknown as Settings, notices };
}

/** Reads stored settings (JSON per key), falling back to the default for a missing or corrupt value. */
export function settingsFromStorage(stored: Readonly<Record<string, string>>): Settings {
  const result: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of SETTING_KEYS) {
    const name = `settings.${key}`;
    if (!Object.hasOwn(stored, name)) continue;
    const raw = stored[name];
    if (typeof raw !== 'string') continue;
    try {
      const value: unknown = JSON.parse(raw);
      if (CHECKS[key](value) === null) result[key] = value;
    } catch {
      // a corrupt stored value keeps the default
    }
  }
  if ((result.defaultValidityMonths as number) > (result.maxValidityMonths as number)) result.defaultValidityMonths = result.maxValidityMonths;
  return Object.freeze(result) as unknown as Settings;
}
