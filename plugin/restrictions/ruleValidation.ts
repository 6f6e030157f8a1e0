import type { PatternErrorSink, PatternGate } from './PatternGate';
import { findTopLevel } from './regexScanner';
import { ConditionKind, IP_ALLOWLIST_PREFIX, METHOD_PREFIX, RawRule, partAt } from './textFormat';
import { RESTRICTION_METHODS, RestrictionError, RestrictionLimits, RestrictionRule } from './types';

/** Headers that carry credentials: a rule on them would store secrets in the token row. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

const FIELD_NAMES: Record<ConditionKind, string> = { queryParams: 'name', jsonBody: 'node', headers: 'name' };

/**
 * Names that are properties of every object (`__proto__`, `constructor`, `hasOwnProperty`, …)
 * or `prototype`: as a parameter, header or JSON step they could only ever be read through the
 * prototype chain, so they are refused rather than matched.
 */
const OBJECT_MEMBER_NAMES: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * Validates one rule (from either form) and returns it normalised, or pushes errors. The
 * checks also guarantee that the rule can be written in the text form and read back
 * unchanged: no URL pattern that would read as a method prefix or a condition, no name
 * containing `==` or brackets, no top-level `]` in a condition pattern.
 */
export function validateRule(raw: RawRule, index: number, limits: RestrictionLimits, gate: PatternGate, errors: RestrictionError[], line?: number): RestrictionRule | undefined {
  const before = errors.length;
  const err = (code: RestrictionError['code'], field: string, detail: string) =>
    errors.push({ code, index, field: `rules[${index}]${field}`, ...(line !== undefined ? { line } : {}), detail });

  let method: string | undefined;
  if (raw.method !== undefined) {
    method = raw.method.toUpperCase();
    if (!(RESTRICTION_METHODS as readonly string[]).includes(method)) {
      err('INVALID_METHOD', '.method', `method must be one of ${RESTRICTION_METHODS.join(', ')}`);
    }
  }

  const url = raw.urlPattern;
  if (url === '') {
    err('INVALID_RULE', '.urlPattern', 'a rule needs a URL pattern (use .* for any path)');
  } else if (checkPattern(url, '.urlPattern', limits, gate, err)) {
    if (url.trim() !== url) {
      err('INVALID_PATTERN', '.urlPattern', 'the URL pattern may not start or end with white space');
    } else if (raw.method === undefined && (METHOD_PREFIX.test(url) || url.toLowerCase().startsWith(IP_ALLOWLIST_PREFIX.toLowerCase()))) {
      err('INVALID_PATTERN', '.urlPattern', 'a URL pattern may not start with [LETTERS]: it reads as a method; write (?:[...]) instead');
    } else if (findTopLevel(url, 0, partAt) >= 0) {
      err('INVALID_PATTERN', '.urlPattern', 'the URL pattern contains a [QueryParam::, [JsonData::, [Header:: or [NoOtherQueryParams] part');
    }
  }

  if (raw.conditions.length > limits.maxConditionsPerRule) {
    err('TOO_MANY_CONDITIONS', '', `at most ${limits.maxConditionsPerRule} conditions are allowed in one rule`);
    return undefined;
  }
  const rule: RestrictionRule = { ...(method !== undefined ? { method } : {}), urlPattern: url };
  const counters: Record<ConditionKind, number> = { queryParams: 0, jsonBody: 0, headers: 0 };
  for (const c of raw.conditions) {
    const field = `.${c.kind}[${counters[c.kind]++}]`;
    checkName(c.kind, c.name, field, limits, err);
    if (checkPattern(c.pattern, `${field}.pattern`, limits, gate, err) && findTopLevel(c.pattern, 0, (t, i) => t[i] === ']') >= 0) {
      err('INVALID_PATTERN', `${field}.pattern`, 'write a literal ] in a condition pattern as \\]');
    }
    if (c.kind === 'jsonBody') {
      (rule.jsonBody ??= []).push({ node: c.name, pattern: c.pattern });
    } else {
      (rule[c.kind] ??= []).push({ name: c.name, pattern: c.pattern });
    }
  }
  if (raw.noOtherQueryParams) rule.noOtherQueryParams = true;
  return errors.length === before ? rule : undefined;
}

function checkName(kind: ConditionKind, name: string, field: string, limits: RestrictionLimits, err: PatternErrorSink): void {
  const f = `${field}.${FIELD_NAMES[kind]}`;
  if (name === '' || name.length > limits.maxNameLength) {
    err('INVALID_NAME', f, `a name must have 1 to ${limits.maxNameLength} characters`);
  } else if (name.includes('==') || /[[\]]/.test(name) || CONTROL_CHARS.test(name)) {
    err('INVALID_NAME', f, 'a name may not contain ==, brackets or control characters');
  } else if ((kind === 'jsonBody' ? name.split('.') : [kind === 'headers' ? name.toLowerCase() : name]).some((step) => OBJECT_MEMBER_NAMES.has(step))) {
    err('INVALID_NAME', f, 'a name may not be __proto__, constructor, prototype or another property every object has');
  } else if (kind === 'headers' && !HEADER_NAME.test(name)) {
    err('INVALID_NAME', f, 'not a valid HTTP header name');
  } else if (kind === 'headers' && CREDENTIAL_HEADERS.has(name.toLowerCase())) {
    err('INVALID_NAME', f, 'rules on credential headers (Authorization, Cookie) are not allowed');
  } else if (kind === 'jsonBody' && name.split('.').some((s) => s === '')) {
    err('INVALID_NAME', f, 'a JSON node path is dot-separated names without empty parts');
  }
}

/** Length, compile and budget checks shared by every pattern; true when the pattern is usable. */
function checkPattern(pattern: string, field: string, limits: RestrictionLimits, gate: PatternGate, err: PatternErrorSink): boolean {
  if (pattern.length > limits.maxPatternLength) {
    err('PATTERN_TOO_LONG', field, `a pattern may have at most ${limits.maxPatternLength} characters`);
    return false;
  }
  return gate.check(pattern, field, err);
}
