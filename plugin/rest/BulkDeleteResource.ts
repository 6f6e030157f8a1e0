import type { Request, Router } from 'express';
import { ApiError, type FieldError } from '../errors/ApiError';
import { MAX_BULK_IDS, type BulkTarget } from '../service/TokenIncidentService';
import { actorOf, handler, jsonObjectBody } from './RestSupport';
import type { RestDeps } from './RestDeps';
import { FILTER_PARAMS, parseFilterParams } from './TokenFilterParams';

const FIELDS = ['ids', 'filter'] as const;

/** `{"ids": [1..1000 positive integers]}` or `{"filter": {<tokensByFilter filter parameters>}}`, exactly one. */
function bulkTarget(req: Request): BulkTarget {
  const body = jsonObjectBody(req);
  const errors = Object.create(null) as Record<string, FieldError>;
  for (const key of Object.keys(body)) if (!(FIELDS as readonly string[]).includes(key)) errors[key] = { key: 'unknownField' };
  const given = FIELDS.filter((f) => Object.hasOwn(body, f));
  if (given.length !== 1) {
    errors.ids = { key: 'oneOfFields', args: [FIELDS.join(', ')] };
    throw ApiError.validation(errors);
  }
  let target: BulkTarget;
  if (given[0] === 'ids') {
    const ids = body.ids;
    const ok = Array.isArray(ids) && ids.length >= 1 && ids.length <= MAX_BULK_IDS
      && ids.every((id) => typeof id === 'number' && Number.isSafeInteger(id) && id >= 1);
    if (!ok) errors.ids = { key: 'idList', args: [MAX_BULK_IDS] };
    target = { ids: ok ? ids as number[] : [] };
  } else {
    const raw = body.filter;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      errors.filter = { key: 'object' };
      throw ApiError.validation(errors);
    }
    const filterObject = raw as Record<string, unknown>;
    // Page, limit, sort and format are not filters: a deletion takes every matching token.
    for (const key of Object.keys(filterObject)) if (!FILTER_PARAMS.includes(key)) errors[`filter.${key}`] = { key: 'unknownField' };
    const paramErrors: Record<string, FieldError> = {};
    const filter = parseFilterParams((name) => (Object.hasOwn(filterObject, name) ? filterObject[name] : undefined), paramErrors);
    for (const [name, error] of Object.entries(paramErrors)) errors[`filter.${name}`] = error;
    target = { filter };
  }
  if (Object.keys(errors).length > 0) throw ApiError.validation(errors);
  return target;
}

/**
 * `POST /admin/tokens/delete`: revokes many tokens at once, by id or by a `tokensByFilter` filter,
 * among those the caller may see (docs/api.md); `{"deleted": n}`.
 */
export function registerBulkDelete(router: Router, deps: RestDeps): void {
  router.post('/admin/tokens/delete', handler(async (req, res) => {
    const actor = actorOf(req);
    const target = bulkTarget(req);
    res.json({ deleted: await deps.incidents.bulkDelete(actor, target) });
  }));
}
