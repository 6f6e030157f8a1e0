import { hasAnyRestriction } from './helpers';
import { parseRestrictions } from './parseRestrictions';
import { PatternGate } from './PatternGate';
import { DEFAULT_RESTRICTION_LIMITS, type RestrictionLimits, type TokenRestrictions } from './types';

/** The shape a token's RESTRICTIONS column holds when this version wrote it: an object with a list of rule objects and a list of entries. */
export function isStoredForm(value: unknown): value is TokenRestrictions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const rules: unknown = Object.hasOwn(value, 'rules') ? (value as Record<string, unknown>).rules : undefined;
  const ips: unknown = Object.hasOwn(value, 'ipAllowlist') ? (value as Record<string, unknown>).ipAllowlist : undefined;
  return Array.isArray(rules) && rules.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r)) && Array.isArray(ips);
}

/**
 * A stored RESTRICTIONS value as this version reads it, or undefined when it cannot: not JSON,
 * not the stored form, a field, rule or entry it does not know, a pattern that does not compile
 * or a set over the compile budget, or a set that limits nothing (this version stores null for
 * "none"). Exactly the values the engine's compile refuses (RESTRICTIONS_INVALID) read as
 * undefined, and nothing may be merged into those. Compiles every pattern (bounded by the
 * budget): for one set at a time (a PATCH), never for a list.
 */
export function readStoredRestrictions(json: string, limits?: Partial<RestrictionLimits>): TokenRestrictions | undefined {
  const lim = { ...DEFAULT_RESTRICTION_LIMITS, ...limits };
  return read(json, lim, PatternGate.compiling(lim));
}

/**
 * {@link readStoredRestrictions} without compiling: what the text shows (the form, the fields, each
 * pattern's cost from its text). For listings, where compiling every token's set would let one
 * user's tokens hold the event loop; a pattern that only fails when compiled reads as a value
 * here (the token is refused on use all the same).
 */
export function viewStoredRestrictions(json: string, limits?: Partial<RestrictionLimits>): TokenRestrictions | undefined {
  const lim = { ...DEFAULT_RESTRICTION_LIMITS, ...limits };
  return read(json, lim, PatternGate.deferring(lim));
}

function read(json: string, limits: RestrictionLimits, gate: PatternGate): TokenRestrictions | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isStoredForm(value)) return undefined;
  const parsed = parseRestrictions(value, limits, gate);
  return parsed.ok && hasAnyRestriction(parsed.value) ? parsed.value : undefined;
}
