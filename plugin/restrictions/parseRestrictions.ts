import { validateIpEntries } from './IpAllowlist';
import { PatternGate } from './PatternGate';
import { validateRule } from './ruleValidation';
import { ConditionKind, RawRule, parseIpAllowlistLine, parseRuleLine } from './textFormat';
import { DEFAULT_RESTRICTION_LIMITS, ParseResult, RestrictionError, RestrictionLimits, RestrictionRule, TokenRestrictions } from './types';

const MAX_REPORTED_ERRORS = 50;
const RULE_KEYS = new Set(['method', 'urlPattern', 'queryParams', 'jsonBody', 'headers', 'noOtherQueryParams']);
const ROOT_KEYS = new Set(['rules', 'ipAllowlist']);

/** An own property of a client's object, never one inherited through the prototype chain. */
function own(obj: object, key: string): unknown {
  return Object.hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

type Item = { raw: RawRule; line?: number } | { error: RestrictionError } | { ips: string[] };
type RuleItem = Exclude<Item, { ips: string[] }>;

/**
 * Reads and validates token restrictions. Accepted inputs:
 * - `undefined` / `null`: no restrictions;
 * - `{rules, ipAllowlist}` where `rules` is a list of rule objects and/or text lines, or a text
 *   block, and `ipAllowlist` a list of entries (or one comma/space separated string);
 * - a list of rule objects and/or text lines;
 * - a text block (one rule per line, plus optional `[IpAllowlist::…]` lines), or a string
 *   holding JSON of one of the shapes above.
 * Never throws; reports every problem found (up to a cap), each with a closed error code. Only
 * own properties of the input are read; unknown keys (`__proto__`, `constructor`, …) are errors.
 *
 * Every pattern is compiled (once) within the compile budget of `limits`; `gate` decides how
 * (default: compile now, without the time backstop; see PatternGate).
 */
export function parseRestrictions(input: unknown, limits?: Partial<RestrictionLimits>, gate?: PatternGate): ParseResult<TokenRestrictions> {
  const lim: RestrictionLimits = { ...DEFAULT_RESTRICTION_LIMITS, ...limits };
  const patterns = gate ?? PatternGate.compiling(lim);
  if (input === undefined || input === null) return { ok: true, value: { rules: [], ipAllowlist: [] } };
  if (typeof input === 'string') {
    if (input.length > lim.maxInputLength) return tooLarge(lim);
    const json = tryJson(input);
    if (json === undefined) return build(readText(input), [], lim, patterns);
    input = json;
  } else if (jsonLength(input) > lim.maxInputLength) {
    return tooLarge(lim);
  }
  if (Array.isArray(input)) return build(readList(input), [], lim, patterns);
  if (typeof input === 'object' && input !== null) {
    const root = input as Record<string, unknown>;
    const unknown = Object.keys(root).filter((k) => !ROOT_KEYS.has(k));
    if (unknown.length > 0) return fail({ code: 'INVALID_INPUT', field: unknown[0], detail: 'unknown field; expected rules and ipAllowlist' });
    const rules = own(root, 'rules');
    let items: Item[];
    if (rules === undefined || rules === null) items = [];
    else if (typeof rules === 'string') items = readText(rules);
    else if (Array.isArray(rules)) items = readList(rules);
    else return fail({ code: 'INVALID_INPUT', field: 'rules', detail: 'rules must be a list or a text block' });
    let ips: unknown = own(root, 'ipAllowlist') ?? [];
    if (typeof ips === 'string') ips = ips.split(/[\s,]+/).filter((e) => e !== '');
    return build(items, ips, lim, patterns);
  }
  return fail({ code: 'INVALID_INPUT', detail: 'restrictions must be an object, a list or text' });
}

function build(items: Item[], ips: unknown, lim: RestrictionLimits, gate: PatternGate): ParseResult<TokenRestrictions> {
  const errors: RestrictionError[] = [];
  const rules: RestrictionRule[] = [];
  const ruleItems = items.filter((it): it is RuleItem => !('ips' in it));
  const extraIps = items.flatMap((it) => ('ips' in it ? it.ips : []));
  if (ruleItems.length > lim.maxRules) {
    errors.push({ code: 'TOO_MANY_RULES', field: 'rules', detail: `at most ${lim.maxRules} rules are allowed` });
  } else {
    ruleItems.forEach((item, index) => {
      if ('error' in item) {
        errors.push({ ...item.error, index, field: `rules[${index}]${item.error.field ?? ''}` });
        return;
      }
      const rule = validateRule(item.raw, index, lim, gate, errors, item.line);
      if (rule) rules.push(rule);
    });
  }
  const allIps = Array.isArray(ips) ? [...ips, ...extraIps] : ips;
  const ipResult = validateIpEntries(allIps, lim.maxIpEntries);
  if (!ipResult.ok) errors.push(...ipResult.errors);
  if (errors.length > 0) return { ok: false, errors: errors.slice(0, MAX_REPORTED_ERRORS) };
  return { ok: true, value: { rules, ipAllowlist: ipResult.ok ? ipResult.value : [] } };
}

/** Text block: one rule per line, blank lines ignored, `[IpAllowlist::…]` lines collected. */
function readText(text: string): Item[] {
  const items: Item[] = [];
  text.split(/\r?\n|\r/).forEach((line, i) => {
    if (line.trim() === '') return;
    items.push(readLine(line, i + 1));
  });
  return items;
}

/** One text line: a rule or an `[IpAllowlist::…]` line. */
function readLine(line: string, lineNo?: number): Item {
  const at = lineNo !== undefined ? { line: lineNo } : {};
  const ips = parseIpAllowlistLine(line);
  if (ips === null) return { error: { code: 'INVALID_RULE', ...at, detail: 'an [IpAllowlist:: line must end with ]' } };
  if (ips !== undefined) return { ips };
  const parsed = parseRuleLine(line);
  if (!parsed.ok) return { error: { code: 'INVALID_RULE', ...at, detail: parsed.detail } };
  return { raw: parsed.rule, ...at };
}

function readList(list: unknown[]): Item[] {
  const items: Item[] = [];
  for (const entry of list) {
    if (typeof entry === 'string') {
      if (/[\r\n]/.test(entry)) items.push({ error: { code: 'INVALID_RULE', detail: 'a rule string holds exactly one rule (no line breaks)' } });
      else if (entry.trim() !== '') items.push(readLine(entry));
    } else {
      items.push(readObject(entry));
    }
  }
  return items;
}

/** A structured rule object to a RawRule, checking shapes (values are validated later); own keys only. */
function readObject(entry: unknown): Item {
  const bad = (field: string, detail: string): Item => ({ error: { code: 'INVALID_RULE', field, detail } });
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return bad('', 'a rule must be an object or a text line');
  const extra = Object.keys(entry).find((k) => !RULE_KEYS.has(k));
  if (extra !== undefined) return bad(`.${extra}`, 'unknown field in rule');
  const method = own(entry, 'method');
  const urlPattern = own(entry, 'urlPattern');
  if (method !== undefined && method !== null && typeof method !== 'string') return bad('.method', 'method must be a string');
  if (typeof urlPattern !== 'string') return bad('.urlPattern', 'urlPattern must be a string');
  const noOther = own(entry, 'noOtherQueryParams');
  if (noOther !== undefined && typeof noOther !== 'boolean') return bad('.noOtherQueryParams', 'noOtherQueryParams must be true or false');
  const raw: RawRule = { urlPattern, conditions: [], ...(typeof method === 'string' ? { method } : {}), ...(noOther === true ? { noOtherQueryParams: true } : {}) };
  for (const kind of ['queryParams', 'jsonBody', 'headers'] as ConditionKind[]) {
    const nameKey = kind === 'jsonBody' ? 'node' : 'name';
    const value = own(entry, kind);
    if (value === undefined || value === null) continue;
    let pairs: Array<[unknown, unknown]>;
    if (Array.isArray(value)) {
      const odd = value.findIndex((c) => typeof c !== 'object' || c === null || Object.keys(c).some((k) => k !== nameKey && k !== 'pattern'));
      if (odd >= 0) return bad(`.${kind}[${odd}]`, `a condition is an object with exactly ${nameKey} and pattern`);
      pairs = value.map((c: object) => [own(c, nameKey), own(c, 'pattern')]);
    } else if (typeof value === 'object') {
      pairs = Object.entries(value);
    } else {
      return bad(`.${kind}`, `${kind} must be a list of {${nameKey}, pattern} or an object of ${nameKey}: pattern`);
    }
    for (const [i, [name, pattern]] of pairs.entries()) {
      if (typeof name !== 'string' || typeof pattern !== 'string') return bad(`.${kind}[${i}]`, `each condition needs a string ${nameKey} and pattern`);
      raw.conditions.push({ kind, name, pattern });
    }
  }
  return { raw };
}

function tryJson(text: string): unknown {
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return typeof v === 'object' && v !== null ? v : undefined;
  } catch {
    return undefined;
  }
}

function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function tooLarge(lim: RestrictionLimits): ParseResult<TokenRestrictions> {
  return fail({ code: 'INPUT_TOO_LARGE', detail: `restrictions may have at most ${lim.maxInputLength} characters` });
}

function fail(error: RestrictionError): ParseResult<TokenRestrictions> {
  return { ok: false, errors: [error] };
}
