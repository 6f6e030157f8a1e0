/**
 * Per-token restrictions engine (docs/restrictions.md): parse and validate rules in structured or text
 * form, format them as text, compile them once and evaluate them per request. Pure module:
 * no I/O (but reading the thread's CPU clock), no logging, no host dependencies. See docs/restrictions.md.
 */
export * from './types';
export { parseRestrictions } from './parseRestrictions';
export { formatRestrictionsAsText, formatRule } from './textFormat';
export { compileRestrictions, compileRestrictionsAsync } from './compileRestrictions';
export { COMPILE_COST_WEIGHTS, patternCost, sourceCost } from './compileCost';
export type { CompileCostWeights } from './compileCost';
export type { CompileOptions } from './compileRestrictions';
export { createIpAllowlist, parseClient, validateIpEntries } from './IpAllowlist';
export type { IpAllowlist } from './IpAllowlist';
export { compileSafePattern, compileSource } from './SafePattern';
export type { SafePattern, PatternCompileResult, MatchBounds, CompiledSource } from './SafePattern';
export { hasAnyRestriction, emptyRestrictions } from './helpers';
export { isStoredForm, readStoredRestrictions, viewStoredRestrictions } from './storedRestrictions';
