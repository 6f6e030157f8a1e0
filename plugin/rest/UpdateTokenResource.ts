import { ApiError } from '../errors/ApiError';
import { readDto } from '../validation/checkDto';
import { UpdateTokenBody } from './dto/TokenBodies';
import { actorOf, handler, idParam, jsonObjectBody } from './RestSupport';
import type { RestDeps } from './RestDeps';
import { tokenListItem } from './TokenJson';
import type { RouteRegistrar } from './GatedRoutes';

/**
 * `PATCH /user/token/{id}`: change the description and, unless in secure mode, the restrictions,
 * the IP allowlist, the scope (lowering only) and the expiry (within the maximum).
 */
export function registerUpdateToken(router: RouteRegistrar, deps: RestDeps): void {
  router.patch('/user/token/:id', handler(async (req, res) => {
    const actor = actorOf(req);
    const id = idParam(req.params.id);
    const body = jsonObjectBody(req);
    const dto = readDto(UpdateTokenBody, body, { unknown: 'refuse' });
    const change = {
      description: dto.tokenDescription,
      // null clears the restrictions / allowlist; absent keeps them.
      restrictions: Object.hasOwn(body, 'restrictions') ? dto.restrictions ?? null : undefined,
      ipAllowlist: Object.hasOwn(body, 'ipAllowlist') ? dto.ipAllowlist ?? null : undefined,
      scope: dto.tokenScope,
      months: dto.tokenValidityTimeInMonths,
      dateTime: dto.tokenExpirationDateTime,
      millis: dto.tokenExpirationDateTimeMillis,
    };
    if (Object.values(change).every((value) => value === undefined)) {
      throw ApiError.validation({ tokenDescription: { key: 'required' } });
    }
    const token = await deps.tokens.update(actor, id, change);
    res.json(tokenListItem(token, deps.recorder, deps.clock.now(), deps.restrictionViews));
  }));
}
