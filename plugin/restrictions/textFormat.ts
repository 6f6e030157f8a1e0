import { findTopLevel } from './regexScanner';
import { RestrictionRule, TokenRestrictions } from './types';

/**
 * The original one-rule-per-line text form:
 *
 *   [METHOD]URL_REGEX[QueryParam::name==regex][NoOtherQueryParams][JsonData::node==regex][Header::name==regex]
 *
 * Reading is regex-aware (see regexScanner): the method prefix is only `[` + letters + `]` at
 * the very start; a condition starts only at a top-level `[QueryParam::`, `[JsonData::` or
 * `[Header::` (any letter case) and ends at the first top-level `]` of its regex, so brackets
 * inside character classes such as `[0-9]+` or `[^]]` never end a part. The flag
 * `[NoOtherQueryParams]` (any letter case) may stand anywhere among the conditions, once.
 */

export type ConditionKind = 'queryParams' | 'jsonBody' | 'headers';

const MARKERS: ReadonlyArray<{ text: string; kind: ConditionKind }> = [
  { text: '[QueryParam::', kind: 'queryParams' },
  { text: '[JsonData::', kind: 'jsonBody' },
  { text: '[Header::', kind: 'headers' },
];

/** The flag that closes a rule to the query parameters it names (no name, no pattern). */
export const NO_OTHER_QUERY_PARAMS = '[NoOtherQueryParams]';

/** True when the flag starts at `index` (case-insensitive). */
export function flagAt(text: string, index: number): boolean {
  return text[index] === '[' && text.substr(index, NO_OTHER_QUERY_PARAMS.length).toLowerCase() === NO_OTHER_QUERY_PARAMS.toLowerCase();
}

/** True where a condition or the flag starts: where a URL pattern ends in the text form. */
export function partAt(text: string, index: number): boolean {
  return markerAt(text, index) !== undefined || flagAt(text, index);
}

/** Leading `[LETTERS]`, always read as the method prefix. */
export const METHOD_PREFIX = /^\[([A-Za-z]+)\]/;

/** The marker starting at `index`, if any (case-insensitive). */
export function markerAt(text: string, index: number): { text: string; kind: ConditionKind } | undefined {
  if (text[index] !== '[') return undefined;
  return MARKERS.find((m) => text.substr(index, m.text.length).toLowerCase() === m.text.toLowerCase());
}

/** A rule as written, before validation: every field still an unchecked string. */
export interface RawRule {
  method?: string;
  urlPattern: string;
  conditions: Array<{ kind: ConditionKind; name: string; pattern: string }>;
  /** `[NoOtherQueryParams]` was written (or `noOtherQueryParams: true` given). */
  noOtherQueryParams?: boolean;
}

export type LineParseResult = { ok: true; rule: RawRule } | { ok: false; detail: string };

/** Splits one text-form line into its parts; validation of the parts happens elsewhere. */
export function parseRuleLine(line: string): LineParseResult {
  let rest = line.trim();
  let method: string | undefined;
  const m = METHOD_PREFIX.exec(rest);
  if (m) {
    method = m[1];
    rest = rest.slice(m[0].length);
  }
  // Columns in messages are 1-based positions in the line as written.
  const col = (pos: number) => line.length - line.trimStart().length + (m ? m[0].length : 0) + pos + 1;
  const firstMarker = findTopLevel(rest, 0, partAt);
  const urlEnd = firstMarker < 0 ? rest.length : firstMarker;
  const rule: RawRule = { method, urlPattern: rest.slice(0, urlEnd), conditions: [] };

  let pos = urlEnd;
  while (pos < rest.length) {
    if (flagAt(rest, pos)) {
      if (rule.noOtherQueryParams) return { ok: false, detail: `${NO_OTHER_QUERY_PARAMS} is written twice (column ${col(pos)})` };
      rule.noOtherQueryParams = true;
      pos += NO_OTHER_QUERY_PARAMS.length;
      continue;
    }
    const marker = markerAt(rest, pos);
    if (!marker) return { ok: false, detail: `unexpected text at column ${col(pos)}: expected [QueryParam::, [JsonData::, [Header:: or ${NO_OTHER_QUERY_PARAMS}` };
    const nameStart = pos + marker.text.length;
    const eq = rest.indexOf('==', nameStart);
    const name = eq < 0 ? '' : rest.slice(nameStart, eq);
    if (eq < 0 || /[[\]]/.test(name)) {
      return { ok: false, detail: `condition at column ${col(pos)} must be written ${marker.text}name==regex]` };
    }
    const patternStart = eq + 2;
    const close = findTopLevel(rest, patternStart, (t, i) => t[i] === ']');
    if (close < 0) return { ok: false, detail: `condition at column ${col(pos)} has no closing ]` };
    rule.conditions.push({ kind: marker.kind, name, pattern: rest.slice(patternStart, close) });
    pos = close + 1;
  }
  return { ok: true, rule };
}

/** Writes one validated rule in the text form. */
export function formatRule(rule: RestrictionRule): string {
  let out = rule.method ? `[${rule.method}]` : '';
  out += rule.urlPattern;
  for (const q of rule.queryParams ?? []) out += `[QueryParam::${q.name}==${q.pattern}]`;
  if (rule.noOtherQueryParams) out += NO_OTHER_QUERY_PARAMS;
  for (const j of rule.jsonBody ?? []) out += `[JsonData::${j.node}==${j.pattern}]`;
  for (const h of rule.headers ?? []) out += `[Header::${h.name}==${h.pattern}]`;
  return out;
}

/** Start of the extension line that carries the IP allowlist in the text form. */
export const IP_ALLOWLIST_PREFIX = '[IpAllowlist::';

/**
 * The entries of an `[IpAllowlist::a, b]` line; undefined when `line` is not one, null when it
 * starts like one but lacks the closing bracket.
 */
export function parseIpAllowlistLine(line: string): string[] | null | undefined {
  const t = line.trim();
  if (t.substr(0, IP_ALLOWLIST_PREFIX.length).toLowerCase() !== IP_ALLOWLIST_PREFIX.toLowerCase()) return undefined;
  if (!t.endsWith(']')) return null;
  return t.slice(IP_ALLOWLIST_PREFIX.length, -1).split(',').map((e) => e.trim()).filter((e) => e !== '');
}

/**
 * `value` in the text form, one rule per line, followed (when it is not empty) by one
 * `[IpAllowlist::entry, entry]` line, so that `parseRestrictions` gives `value` back.
 */
export function formatRestrictionsAsText(value: TokenRestrictions): string {
  const lines = value.rules.map(formatRule);
  if (value.ipAllowlist.length > 0) lines.push(`${IP_ALLOWLIST_PREFIX}${value.ipAllowlist.join(', ')}]`);
  return lines.join('\n');
}
