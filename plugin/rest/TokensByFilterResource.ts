import type { Request, Router } from 'express';
import { ApiError, type FieldError } from '../errors/ApiError';
import { DEFAULT_TOKEN_SORT, type SortDirection, type TokenFilter, type TokenSort, type TokenSortKey } from '../ao/TokenStore';
import { actorOf, handler } from './RestSupport';
import type { RestDeps } from './RestDeps';
import { streamCsv } from './TokenCsv';
import { parseFilterParams } from './TokenFilterParams';
import { filteredItem } from './TokenJson';

export const MAX_PAGE_SIZE = 50;
/** A page number or page size: digits only (no sign, fraction, exponent or hex). */
const DIGITS = /^[0-9]+$/;
const SORT_KEYS: readonly TokenSortKey[] = ['validUntil', 'created', 'lastAccessed', 'description', 'user'];
const DIRECTIONS: readonly SortDirection[] = ['asc', 'desc'];
const FORMATS = ['json', 'csv'] as const;
/** User names kept per export: one lookup per owner, bounded memory. */
const MAX_CACHED_NAMES = 10_000;
/**
 * The largest page queried: its offset is still an exact integer. Every page above it is beyond
 * any data a database can hold, so it is answered like the first page past the end: empty.
 */
const lastQueryablePage = (limit: number): number => Math.floor(Number.MAX_SAFE_INTEGER / limit) - 1;

interface ParsedQuery {
  filter: TokenFilter;
  sort: TokenSort;
  page: number;
  limit: number;
  csv: boolean;
}

function parseQuery(req: Request): ParsedQuery {
  const errors: Record<string, FieldError> = {};
  const single = (name: string): string | undefined => {
    const v = req.query[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') { errors[name] = { key: 'single' }; return undefined; }
    return v;
  };
  /** A page number (from 0) or size (from 1); a huge one saturates, as it is beyond the data anyway. */
  const count = (name: string, min: 0 | 1): number | undefined => {
    const v = single(name);
    if (v === undefined || v === '') return undefined;
    const n = DIGITS.test(v) ? Number(v) : NaN;
    if (Number.isNaN(n) || n < min) { errors[name] = { key: min === 0 ? 'nonNegativeInteger' : 'positiveInteger' }; return undefined; }
    return Math.min(n, Number.MAX_SAFE_INTEGER);
  };
  const choice = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const v = single(name);
    if (v === undefined || v === '') return undefined;
    if (!(allowed as readonly string[]).includes(v)) { errors[name] = { key: 'oneOf', args: [allowed.join(', ')] }; return undefined; }
    return v as T;
  };
  const filter = parseFilterParams((name) => req.query[name], errors);
  const key = choice('sort', SORT_KEYS) ?? DEFAULT_TOKEN_SORT.key;
  const direction = choice('order', DIRECTIONS) ?? DEFAULT_TOKEN_SORT.direction;
  const format = choice('format', FORMATS);
  const page = count('page', 0) ?? 0;
  const limitGiven = count('limit', 1);
  if (Object.keys(errors).length > 0) throw ApiError.validation(errors);
  // `format` wins; else the Accept header (a client asking for CSV only, or CSV before JSON).
  const csv = format === undefined ? req.accepts(['application/json', 'text/csv']) === 'text/csv' : format === 'csv';
  return { filter, sort: { key, direction }, page, limit: Math.min(limitGiven ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE), csv };
}

function pageLink(baseUrl: string, req: Request, page: number, limit: number): string {
  const original = new URLSearchParams(req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '');
  const params = new URLSearchParams();
  params.append('page', String(page));
  params.append('limit', String(limit));
  for (const [key, value] of original) if (key !== 'page' && key !== 'limit') params.append(key, value);
  return `${baseUrl}/rest/de.resolution.apitokenauth/latest/user/tokensByFilter?${params.toString()}`;
}

/**
 * `GET /user/tokensByFilter`: every user's tokens, filtered, sorted (`sort`, `order`; ties by id),
 * paged — or, with `format=csv` or `Accept: text/csv`, every matching row as a CSV stream.
 */
export function registerTokensByFilter(router: Router, deps: RestDeps): void {
  router.get('/user/tokensByFilter', handler(async (req, res) => {
    const actor = actorOf(req);
    const { filter, sort, page, limit, csv } = parseQuery(req);
    if (csv) {
      const chunks = await deps.queries.exportChunks(actor, filter, sort);
      const names = new Map<string, string>();
      const nameOf = async (userKey: string): Promise<string> => {
        const known = names.get(userKey);
        if (known !== undefined) return known;
        const name = (await deps.users.getUserByKey(userKey))?.name ?? '';
        if (names.size < MAX_CACHED_NAMES) names.set(userKey, name);
        return name;
      };
      // An error after the first line reaches the host's error handling, which logs it and cuts the
      // connection without the final chunk: no client takes a partial file for a whole one.
      await streamCsv(res, chunks, nameOf, deps.recorder, new Date(deps.clock.now()).toISOString().slice(0, 10));
      return;
    }
    const result = await deps.queries.page(actor, filter, sort, Math.min(page, lastQueryablePage(limit)), limit);
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
      totalExact: result.totalExact,
      totalPages,
    });
  }));
}
