import type { Request } from 'express';
import { ApiError } from '../errors/ApiError';
import type { BulkTarget } from '../service/TokenIncidentService';
import { checkDto } from '../validation/checkDto';
import { BulkDeleteBody } from './dto/IncidentBodies';
import { TokenFilterParams, tokenFilterOf } from './dto/TokenQueries';
import { actorOf, handler, jsonObjectBody } from './RestSupport';
import type { RestDeps } from './RestDeps';
import type { RouteRegistrar } from './GatedRoutes';

/**
 * A filter value that names nothing: `""`, `null`, `[]` or a list with `""`. In a query string an
 * empty parameter counts as not given; in a deletion that would widen the filter to every token
 * the caller may see (a script's unset variable, `"userFilter": "$KEY"`, deleting everyone's).
 */
function namesNothing(value: unknown): boolean {
  return value === '' || value === null || (Array.isArray(value) && (value.length === 0 || value.includes('')));
}

/**
 * `{"ids": [1..1000 positive integers]}` or `{"filter": {<tokensByFilter filter parameters>}}`,
 * exactly one. Page, limit, sort and format are not filters (a deletion takes every matching
 * token): in `filter` they are unknown fields like any other name. `{"filter": {}}` is every token
 * the caller may see; a field given with an empty value is refused.
 */
function bulkTarget(req: Request): BulkTarget {
  const { value: body, errors } = checkDto(BulkDeleteBody, jsonObjectBody(req), { unknown: 'refuse' });
  let target: BulkTarget = { ids: body.ids ?? [] };
  if (body.filter !== undefined && Object.keys(errors).length === 0) {
    const filter = checkDto(TokenFilterParams, body.filter, { unknown: 'refuse', prefix: 'filter.' });
    Object.assign(errors, filter.errors);
    for (const [key, value] of Object.entries(body.filter)) {
      if (!errors[`filter.${key}`] && namesNothing(value)) errors[`filter.${key}`] = { key: 'emptyFilterValue' };
    }
    target = { filter: tokenFilterOf(filter.value) };
  }
  if (Object.keys(errors).length > 0) throw ApiError.validation(errors);
  return target;
}

/**
 * `POST /admin/tokens/delete`: revokes many tokens at once, by id or by a `tokensByFilter` filter,
 * among those the caller may see (docs/api.md); `{"deleted": n}`.
 */
export function registerBulkDelete(router: RouteRegistrar, deps: RestDeps): void {
  router.post('/admin/tokens/delete', handler(async (req, res) => {
    const actor = actorOf(req);
    const target = bulkTarget(req);
    res.json({ deleted: await deps.incidents.bulkDelete(actor, target) });
  }));
}
