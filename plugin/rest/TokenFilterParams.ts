import type { FieldError } from '../errors/ApiError';
import type { TokenScope } from '../ao/Token';
import type { TokenFilter } from '../ao/TokenStore';

const NUMBER = /^-?[0-9]{1,16}$/;

/** The time filters of `tokensByFilter` and the {@link TokenFilter} field each sets. */
const TIME_FILTERS = {
  fromCreated: 'createdFrom', untilCreated: 'createdUntil', fromLastUsed: 'lastUsedFrom',
  untilLastUsed: 'lastUsedUntil', fromExpiresDuring: 'expiresFrom', untilExpiresDuring: 'expiresUntil',
} as const;

/** Every filter parameter of `tokensByFilter` (page, limit, sort, order and format are not filters). */
export const FILTER_PARAMS: readonly string[] = ['userFilter', 'descriptionFilter', 'notValidAfter', 'tokenScope', ...Object.keys(TIME_FILTERS)];

/**
 * Reads the filter parameters of `tokensByFilter` from the query string or, for a bulk deletion,
 * from a JSON object (`read(name)` gives the raw value, undefined when absent). The same rules
 * either way: numbers are epoch milliseconds (in JSON a number or a string of digits), a repeated
 * single parameter (an array) is refused, `userFilter` is one user key or a list of up to 100.
 * Problems go into `errors` by parameter name.
 */
export function parseFilterParams(read: (name: string) => unknown, errors: Record<string, FieldError>): TokenFilter {
  /** A single value as text; a number (JSON) as its digits. */
  const text = (name: string, typeKey: FieldError): string | undefined => {
    const v = read(name);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
    errors[name] = Array.isArray(v) ? { key: 'single' } : typeKey;
    return undefined;
  };
  /** A time filter in epoch milliseconds (`notValidAfter` also takes -1 for "no filter"). */
  const number = (name: string, min: number): number | undefined => {
    const v = text(name, { key: 'epochMillis' });
    if (v === undefined || v === '') return undefined;
    const n = NUMBER.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min) { errors[name] = { key: 'epochMillis' }; return undefined; }
    return n;
  };
  const filter: { -readonly [K in keyof TokenFilter]: TokenFilter[K] } = {};
  const users = read('userFilter');
  if (users !== undefined) {
    const list = (Array.isArray(users) ? users : [users]).filter((u) => u !== '');
    if (list.length > 100 || !list.every((u) => typeof u === 'string' && u.length <= 255)) errors.userFilter = { key: 'stringList', args: [100] };
    else if (list.length > 0) filter.userKeys = list as string[];
  }
  const description = text('descriptionFilter', { key: 'stringLength', args: [0, 255] });
  if (description !== undefined && description.length > 255) errors.descriptionFilter = { key: 'stringLength', args: [0, 255] };
  else if (description) filter.descriptionContains = description;
  const notValidAfter = number('notValidAfter', -1);
  if (notValidAfter !== undefined && notValidAfter !== -1) filter.notValidAfter = notValidAfter;
  const scope = number('tokenScope', 0);
  if (scope !== undefined) {
    if (scope > 2) errors.tokenScope = { key: 'oneOf', args: ['0, 1, 2'] };
    else filter.scope = scope as TokenScope;
  }
  for (const [param, key] of Object.entries(TIME_FILTERS)) {
    const value = number(param, 0);
    if (value !== undefined) filter[key] = value;
  }
  return filter;
}
