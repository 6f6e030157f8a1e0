import type { Router } from 'express';
import { ApiError } from '../errors/ApiError';
import { actorOf, handler, idParam, jsonObjectBody } from './RestSupport';
import { BodyValidation } from './BodyValidation';
import type { RestDeps } from './RestDeps';
import { tokenListItem } from './TokenJson';

const FIELDS = ['tokenDescription', 'restrictions', 'ipAllowlist', 'tokenScope',
  'tokenValidityTimeInMonths', 'tokenExpirationDateTime', 'tokenExpirationDateTimeMillis'] as const;

/**
 * `PATCH /user/token/{id}`: change the description and, unless in secure mode, the restrictions,
 * the IP allowlist, the scope (lowering only) and the expiry (within the maximum).
 */
export function registerUpdateToken(router: Router, deps: RestDeps): void {
  router.patch('/user/token/:id', handler(async (req, res) => {
    const actor = actorOf(req);
    const id = idParam(req.params.id);
    const body = jsonObjectBody(req);
    const v = new BodyValidation(body, FIELDS);
    const change = {
      description: v.description('tokenDescription', false),
      // null clears the restrictions / allowlist; absent keeps them.
      restrictions: 'restrictions' in body ? body.restrictions ?? null : undefined,
      ipAllowlist: 'ipAllowlist' in body ? body.ipAllowlist ?? null : undefined,
      scope: v.oneOf('tokenScope', [1, 2] as const),
      months: v.integer('tokenValidityTimeInMonths', 1),
      dateTime: v.string('tokenExpirationDateTime', 40),
      millis: v.integer('tokenExpirationDateTimeMillis', 1),
    };
    v.done();
    if (Object.values(change).every((value) => value === undefined)) {
      throw ApiError.validation({ tokenDescription: { key: 'required' } });
    }
    const token = await deps.tokens.update(actor, id, change);
    res.json(tokenListItem(token, deps.recorder, deps.clock.now()));
  }));
}
