import type { Router } from 'express';
import { actorOf, handler, jsonObjectBody } from './RestSupport';
import { BodyValidation } from './BodyValidation';
import type { RestDeps } from './RestDeps';
import { createdResponse } from './TokenJson';
import { withSnippets } from './SnippetsResource';

const FIELDS = ['tokenDescription', 'tokenValidityTimeInMonths', 'tokenExpirationDateTime', 'tokenExpirationDateTimeMillis',
  'tokenScope', 'tokenForUserKey', 'userless', 'restrictions', 'ipAllowlist', 'sudo'] as const;

/**
 * `POST /user/token`: create a token for oneself, with the on-behalf permission for another user,
 * or (system admins, `"userless": true`) a user-less token; `"sudo": true` makes a system admin's
 * own token an admin "sudo" token. `?snippets=true` adds code snippets.
 */
export function registerCreateToken(router: Router, deps: RestDeps): void {
  router.post('/user/token', handler(async (req, res) => {
    const actor = actorOf(req);
    const v = new BodyValidation(jsonObjectBody(req), FIELDS);
    const request = {
      description: v.description('tokenDescription', false),
      months: v.integer('tokenValidityTimeInMonths', 1),
      dateTime: v.string('tokenExpirationDateTime', 40),
      millis: v.integer('tokenExpirationDateTimeMillis', 1),
      // 0: the seeds' legacy scope (seed 000 creates with it), read/write.
      scope: v.oneOf('tokenScope', [0, 1, 2] as const),
      forUserKey: v.string('tokenForUserKey', 255),
      userless: v.boolean('userless'),
      restrictions: v.raw('restrictions'),
      ipAllowlist: v.raw('ipAllowlist'),
      sudo: v.boolean('sudo'),
    };
    v.done();
    const created = await deps.tokens.create(actor, request);
    res.status(200).json(await withSnippets(req, deps, createdResponse(created), created));
  }));
}
