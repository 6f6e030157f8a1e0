import type { Router } from 'express';
import { ApiError } from '../errors/ApiError';
import { actorOf, handler, idParam, jsonObjectBody } from './RestSupport';
import { BodyValidation } from './BodyValidation';
import type { RestDeps } from './RestDeps';
import { tokenListItem } from './TokenJson';

/** `PATCH /user/token/{id}`: change the description (and restrictions, unless secure mode). */
export function registerUpdateToken(router: Router, deps: RestDeps): void {
  router.patch('/user/token/:id', handler(async (req, res) => {
    const actor = actorOf(req);
    const id = idParam(req.params.id);
    const body = jsonObjectBody(req);
    const v = new BodyValidation(body, ['tokenDescription', 'restrictions', 'ipAllowlist']);
    const description = v.description('tokenDescription', false);
    const restrictions = 'restrictions' in body ? body.restrictions : undefined;
    const ipAllowlist = 'ipAllowlist' in body ? body.ipAllowlist : undefined;
    v.done();
    if (description === undefined && !('restrictions' in body) && !('ipAllowlist' in body)) {
      throw ApiError.validation({ tokenDescription: { key: 'required' } });
    }
    const token = await deps.tokens.update(actor, id, {
      description,
      restrictions: 'restrictions' in body ? restrictions ?? null : undefined,
      ipAllowlist: 'ipAllowlist' in body ? ipAllowlist ?? null : undefined,
    });
    res.json(tokenListItem(token, deps.recorder, deps.clock.now()));
  }));
}
