import { hasAnyRestriction } from './helpers';
import { parseRestrictions } from './parseRestrictions';
import type { RestrictionLimits, TokenRestrictions } from './types';

/** The shape a token's RESTRICTIONS column holds when this version wrote it: an object with a list of rule objects and a list of entries. */
export function isStoredForm(value: unknown): value is TokenRestrictions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const rules: unknown = Object.hasOwn(value, 'rules') ? (value as Record<string, unknown>).rules : undefined;
  const ips: unknown = Object.hasOwn(value, 'ipAllowlist') ? (value as Record<string, unknown>).ipAllowlist : undefined;
  return Array.isArray(rules) && rules.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r)) && Array.isArray(ips);
}

/**
 * A stored RESTRICTIONS value as this version reads it, or undefined when it cannot: not JSON,
 * not the stored form, a field, rule or entry it does not know, or a set that limits nothing
 * (this version stores null for "none"). A token whose value is undefined here is refused
 * (the engine's compile answers RESTRICTIONS_INVALID), and nothing may be merged into it.
 */
export function readStoredRestrictions(json: string, limits?: Partial<RestrictionLimits>): TokenRestrictions | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isStoredForm(value)) return undefined;
  const parsed = parseRestrictions(value, limits);
  return parsed.ok && hasAnyRestriction(parsed.value) ? parsed.value : undefined;
}
