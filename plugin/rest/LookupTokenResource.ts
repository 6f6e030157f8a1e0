import type { Request, Router } from 'express';
import { ApiError, type FieldError } from '../errors/ApiError';
import type { LastAccessRecorder } from '../service/LastAccessRecorder';
import type { LookupKey, LookupResult } from '../service/TokenIncidentService';
import { actorOf, handler, jsonObjectBody } from './RestSupport';
import type { RestDeps } from './RestDeps';
import { tokenListItem } from './TokenJson';

const FIELDS = ['token', 'publicId'] as const;
/** Longer than any token or public id: anything above is not one (and is not echoed anywhere). */
const MAX_LENGTH = 1000;

/** A token in the URL has already reached access logs: refused (400) before anything else, so that scripts get fixed. */
function refuseQueryString(req: Request): void {
  const errors = Object.create(null) as Record<string, FieldError>;
  for (const field of FIELDS) if (req.query[field] !== undefined) errors[field] = { key: 'bodyOnly' };
  if (Object.keys(errors).length > 0) throw ApiError.validation(errors);
}

/** `{"token": …}` or `{"publicId": …}`: exactly one, a string. */
function lookupKey(req: Request): LookupKey {
  const errors = Object.create(null) as Record<string, FieldError>;
  const body = jsonObjectBody(req);
  for (const key of Object.keys(body)) if (!(FIELDS as readonly string[]).includes(key)) errors[key] = { key: 'unknownField' };
  const given = FIELDS.filter((f) => Object.hasOwn(body, f));
  if (given.length !== 1) errors.token = { key: 'oneOfFields', args: [FIELDS.join(', ')] };
  for (const field of given) {
    const value = body[field];
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) errors[field] = { key: 'stringLength', args: [1, MAX_LENGTH] };
  }
  if (Object.keys(errors).length > 0) throw ApiError.validation(errors);
  return given[0] === 'token' ? { token: body.token as string } : { publicId: body.publicId as string };
}

/** The answer: the token as the own-token list shows it, its public ids, and who owns and created it. */
function lookupJson(result: LookupResult, recorder: LastAccessRecorder, now: number) {
  const { token, owner, createdBy } = result;
  return {
    ...tokenListItem(token, recorder, now),
    publicId: token.publicId,
    stringId: token.stringId,
    owner: token.userKey === null ? null : {
      key: token.userKey, name: owner?.name ?? null, displayName: owner?.displayName ?? null, email: owner?.email ?? null, active: owner?.active ?? false,
    },
    createdBy: { key: token.createdBy, name: createdBy?.name ?? null, displayName: createdBy?.displayName ?? null },
  };
}

/**
 * `POST /admin/tokens/lookup`: whose is this (leaked) token? System admins and on-behalf
 * managers; 404 for an unknown token, a wrong secret and a token out of the caller's reach alike.
 */
export function registerLookupToken(router: Router, deps: RestDeps): void {
  router.post('/admin/tokens/lookup', handler(async (req, res) => {
    refuseQueryString(req);
    const actor = actorOf(req);
    const key = lookupKey(req);
    res.json(lookupJson(await deps.incidents.lookup(actor, key), deps.recorder, deps.clock.now()));
  }));
}
