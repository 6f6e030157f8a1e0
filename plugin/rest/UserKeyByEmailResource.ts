import type { Router } from 'express';
import { ApiError } from '../errors/ApiError';
import { actorOf, handler } from './RestSupport';
import type { RestDeps } from './RestDeps';

/** `GET /user/userKeyByEmail?email=`: 404 when no user has it, 409 when several do. */
export function registerUserKeyByEmail(router: Router, deps: RestDeps): void {
  router.get('/user/userKeyByEmail', handler(async (req, res) => {
    const actor = actorOf(req);
    const email = req.query.email;
    if (typeof email !== 'string' || email.trim().length === 0 || email.length > 255) {
      throw ApiError.validation({ email: { key: 'stringLength', args: [1, 255] } });
    }
    res.json({ userKey: await deps.tokens.userKeyByEmail(actor, email.trim()) });
  }));
}
