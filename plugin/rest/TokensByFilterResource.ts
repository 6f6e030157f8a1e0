import type { Request } from 'express';
import { DEFAULT_TOKEN_SORT, type TokenFilter, type TokenSort } from '../ao/TokenStore';
import { tokenFilterOf, TokensByFilterQuery } from './dto/TokenQueries';
import { actorOf, handler, readQuery } from './RestSupport';
import type { RestDeps } from './RestDeps';
import { streamCsv } from './TokenCsv';
import { filteredItem } from './TokenJson';
import type { RouteRegistrar } from './GatedRoutes';

export const MAX_PAGE_SIZE = 50;
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
  const query = readQuery(req, TokensByFilterQuery);
  // `format` wins; else the Accept header (a client asking for CSV only, or CSV before JSON).
  const csv = query.format === undefined ? req.accepts(['application/json', 'text/csv']) === 'text/csv' : query.format === 'csv';
  return {
    filter: tokenFilterOf(query),
    sort: { key: query.sort ?? DEFAULT_TOKEN_SORT.key, direction: query.order ?? DEFAULT_TOKEN_SORT.direction },
    page: query.page ?? 0,
    limit: Math.min(query.limit ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE),
    csv,
  };
}

/** The link to another page: the request's own parsed query (express's, as the filter read it) with `page` and `limit` replaced. */
function pageLink(baseUrl: string, req: Request, page: number, limit: number): string {
  const params = new URLSearchParams();
  params.append('page', String(page));
  params.append('limit', String(limit));
  for (const [key, value] of Object.entries(req.query)) {
    if (key === 'page' || key === 'limit') continue;
    for (const one of Array.isArray(value) ? value : [value]) if (typeof one === 'string') params.append(key, one);
  }
  return `${baseUrl}/rest/de.resolution.apitokenauth/latest/user/tokensByFilter?${params.toString()}`;
}

/**
 * `GET /user/tokensByFilter`: every user's tokens, filtered, sorted (`sort`, `order`; ties by id),
 * paged — or, with `format=csv` or `Accept: text/csv`, every matching row as a CSV stream.
 */
export function registerTokensByFilter(router: RouteRegistrar, deps: RestDeps): void {
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
    const offset = Math.min(page * limit, Number.MAX_SAFE_INTEGER);
    // A lower bound is raised to the rows this page shows to exist (one more behind a full page),
    // so a script paging until `nextPage` is empty reads every row before the exact count is in.
    const total = result.totalExact ? result.total : Math.max(result.total, offset + result.tokens.length + (result.tokens.length === limit ? 1 : 0));
    const totalPages = Math.ceil(total / limit);
    res.json({
      content: result.tokens.map((t) => filteredItem(t, deps.recorder, deps.restrictionViews)),
      currentPage: page,
      limit,
      offset,
      paginationLinks: {
        baseUrl: deps.baseUrl,
        nextPage: page + 1 < totalPages ? pageLink(deps.baseUrl, req, page + 1, limit) : '',
        previousPage: page > 0 ? pageLink(deps.baseUrl, req, Math.min(page - 1, Math.max(totalPages - 1, 0)), limit) : '',
      },
      total,
      // Only when false: an exact answer keeps seed 000's shape for the scripts written against it.
      ...(result.totalExact ? {} : { totalExact: false }),
      totalPages,
    });
  }));
}
