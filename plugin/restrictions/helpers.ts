import { TokenRestrictions } from './types';

/** A fresh value with no rules and no IP allowlist. */
export function emptyRestrictions(): TokenRestrictions {
  return { rules: [], ipAllowlist: [] };
}

/** True when the value limits anything (an owner-less token must carry at least one restriction, §6.3). */
export function hasAnyRestriction(value: TokenRestrictions): boolean {
  return value.rules.length > 0 || value.ipAllowlist.length > 0;
}
