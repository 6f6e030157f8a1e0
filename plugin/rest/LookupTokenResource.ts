import type { Request } from 'express';
import type { LastAccessRecorder } from '../service/LastAccessRecorder';
import type { LookupKey, LookupResult } from '../service/TokenIncidentService';
import { LookupBody, LookupQuery } from './dto/IncidentBodies';
import { actorOf, handler, readBody, readQuery } from './RestSupport';
import type { RestDeps } from './RestDeps';
import type { RestrictionsViews } from './RestrictionsViews';
import { tokenListItem } from './TokenJson';
import type { RouteRegistrar } from './GatedRoutes';

/** `{"token": …}` or `{"publicId": …}`: exactly one, a string. */
function lookupKey(req: Request): LookupKey {
  const body = readBody(req, LookupBody);
  return body.token !== undefined ? { token: body.token } : { publicId: body.publicId as string };
}

/**
 * The answer: the token as the own-token list shows it, its public ids, who owns and created it,
 * and whether the key was a secret it had before a regeneration through a token.
 */
function lookupJson(result: LookupResult, recorder: LastAccessRecorder, now: number, views: RestrictionsViews) {
  const { token, owner, createdBy } = result;
  return {
    ...tokenListItem(token, recorder, now, views),
    publicId: token.publicId,
    stringId: token.stringId,
    owner: token.userKey === null ? null : {
      key: token.userKey, name: owner?.name ?? null, displayName: owner?.displayName ?? null, email: owner?.email ?? null, active: owner?.active ?? false,
    },
    createdBy: { key: token.createdBy, name: createdBy?.name ?? null, displayName: createdBy?.displayName ?? null },
    matchedRetiredSecret: result.retiredSecret,
  };
}

/**
 * `POST /admin/tokens/lookup`: whose is this (leaked) token? System admins and on-behalf
 * managers; 404 for an unknown token, a wrong secret and a token out of the caller's reach alike.
 */
export function registerLookupToken(router: RouteRegistrar, deps: RestDeps): void {
  router.post('/admin/tokens/lookup', handler(async (req, res) => {
    readQuery(req, LookupQuery);
    const actor = actorOf(req);
    const key = lookupKey(req);
    res.json(lookupJson(await deps.incidents.lookup(actor, key), deps.recorder, deps.clock.now(), deps.restrictionViews));
  }));
}
