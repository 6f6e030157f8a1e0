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
 * `{"ids": [1..1000 positive integers]}` or `{"filter": {<tokensByFilter filter parameters>}}`,
 * exactly one. Page, limit, sort and format are not filters (a deletion takes every matching
 * token): in `filter` they are unknown fields like any other name.
 */
function bulkTarget(req: Request): BulkTarget {
  const { value: body, errors } = checkDto(BulkDeleteBody, jsonObjectBody(req), { unknown: 'refuse' });
  let target: BulkTarget = { ids: body.ids ?? [] };
  if (body.filter !== undefined && Object.keys(errors).length === 0) {
    const filter = checkDto(TokenFilterParams, body.filter, { unknown: 'refuse', prefix: 'filter.' });
    Object.assign(errors, filter.errors);
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
