import type { Request, Router } from 'express';
import { ApiError, type FieldError } from '../errors/ApiError';
import type { TokenScope } from '../ao/Token';
import type { TokenFilter } from '../ao/TokenStore';
import { actorOf, handler } from './RestSupport';
import type { RestDeps } from './RestDeps';
import { filteredItem } from './TokenJson';

export const MAX_PAGE_SIZE = 50;
const NUMBER = /^-?[0-9]{1,16}$/;
/** A page number or page size: digits only (no sign, fraction, exponent or hex). */
const DIGITS = /^[0-9]+$/;
/**
 * The largest page queried: its offset is still an exact integer. Every page above it is beyond
 * any data a database can hold, so it is answered like the first page past the end: empty.
 */
const lastQueryablePage = (limit: number): number => Math.floor(Number.MAX_SAFE_INTEGER / limit) - 1;
const TIME_FILTERS = {
  fromCreated: 'createdFrom', untilCreated: 'createdUntil', fromLastUsed: 'lastUsedFrom',
  untilLastUsed: 'lastUsedUntil', fromExpiresDuring: 'expiresFrom', untilExpiresDuring: 'expiresUntil',
} as const;

interface ParsedQuery {
  filter: TokenFilter;
  page: number;
  limit: number;
}

function parseQuery(req: Request): ParsedQuery {
  const errors: Record<string, FieldError> = {};
  const single = (name: string): string | undefined => {
    const v = req.query[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') { errors[name] = { key: 'single' }; return undefined; }
    return v;
  };
  /** A time filter in epoch milliseconds (`notValidAfter` also takes -1 for "no filter"). */
  const number = (name: string, min: number): number | undefined => {
    const v = single(name);
    if (v === undefined || v === '') return undefined;
    const n = NUMBER.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min) { errors[name] = { key: 'epochMillis' }; return undefined; }
    return n;
  };
  /** A page number (from 0) or size (from 1); a huge one saturates, as it is beyond the data anyway. */
  const count = (name: string, min: 0 | 1): number | undefined => {
    const v = single(name);
    if (v === undefined || v === '') return undefined;
    const n = DIGITS.test(v) ? Number(v) : NaN;
    if (Number.isNaN(n) || n < min) { errors[name] = { key: min === 0 ? 'nonNegativeInteger' : 'positiveInteger' }; return undefined; }
    return Math.min(n, Number.MAX_SAFE_INTEGER);
  };
  const filter: { -readonly [K in keyof TokenFilter]: TokenFilter[K] } = {};
  const users = req.query.userFilter;
  if (users !== undefined) {
    const list = (Array.isArray(users) ? users : [users]).filter((u) => u !== '');
    if (list.length > 100 || !list.every((u) => typeof u === 'string' && u.length <= 255)) errors.userFilter = { key: 'stringList', args: [100] };
    else if (list.length > 0) filter.userKeys = list as string[];
  }
  const description = single('descriptionFilter');
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
  const page = count('page', 0) ?? 0;
  const limitGiven = count('limit', 1);
  if (Object.keys(errors).length > 0) throw ApiError.validation(errors);
  return { filter, page, limit: Math.min(limitGiven ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE) };
}

function pageLink(baseUrl: string, req: Request, page: number, limit: number): string {
  const original = new URLSearchParams(req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '');
  const params = new URLSearchParams();
  params.append('page', String(page));
  params.append('limit', String(limit));
  for (const [key, value] of original) if (key !== 'page' && key !== 'limit') params.append(key, value);
  return `${baseUrl}/rest/de.resolution.apitokenauth/latest/user/tokensByFilter?${params.toString()}`;
}

/** `GET /user/tokensByFilter`: every user's tokens, filtered, sorted by valid-until then id, paged. */
export function registerTokensByFilter(router: Router, deps: RestDeps): void {
  router.get('/user/tokensByFilter', handler(async (req, res) => {
    const actor = actorOf(req);
    const { filter, page, limit } = parseQuery(req);
    const result = await deps.tokens.findByFilter(actor, filter, Math.min(page, lastQueryablePage(limit)), limit);
    const totalPages = Math.ceil(result.total / limit);
    res.json({
      content: result.tokens.map((t) => filteredItem(t, deps.recorder)),
      currentPage: page,
      limit,
      offset: Math.min(page * limit, Number.MAX_SAFE_INTEGER),
      paginationLinks: {
        baseUrl: deps.baseUrl,
        nextPage: page + 1 < totalPages ? pageLink(deps.baseUrl, req, page + 1, limit) : '',
        previousPage: page > 0 ? pageLink(deps.baseUrl, req, Math.min(page - 1, Math.max(totalPages - 1, 0)), limit) : '',
      },
      total: result.total,
      totalPages,
    });
  }));
}
