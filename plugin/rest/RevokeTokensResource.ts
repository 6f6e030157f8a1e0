import type { Router } from 'express';
import { ApiError, type FieldError } from '../errors/ApiError';
import { MAX_REVOKE_TOKENS } from '../service/TokenRevocation';
import { handler, jsonObjectBody } from './RestSupport';
import type { RestDeps } from './RestDeps';

/** Longer than any token: a longer string is refused rather than parsed. */
const MAX_STRING_LENGTH = 1000;
/** The one answer to every accepted request, whatever its strings were. */
const ACCEPTED = Object.freeze({ accepted: true });

/**
 * `POST /tokens/revoke` with `{"tokens": ["…", …]}`: no authentication — holding a token proves
 * the right to revoke it (docs/api.md "Revoke leaked tokens"). Never asks who is calling (a
 * caller may be anonymous, or authenticated by the very token it revokes). 202 with the same body
 * for any strings; 400 only for a body that is not such a list; 429 per client IP.
 */
export function registerRevokeTokens(router: Router, deps: RestDeps): void {
  router.post('/tokens/revoke', handler(async (req, res) => {
    const ip = req.clientIp ?? req.ip ?? '';
    deps.revocation.admit(ip);
    const body = jsonObjectBody(req);
    const errors = Object.create(null) as Record<string, FieldError>;
    for (const key of Object.keys(body)) if (key !== 'tokens') errors[key] = { key: 'unknownField' };
    const tokens = Object.hasOwn(body, 'tokens') ? body.tokens : undefined;
    const valid = Array.isArray(tokens) && tokens.length <= MAX_REVOKE_TOKENS
      && tokens.every((t) => typeof t === 'string' && t.length <= MAX_STRING_LENGTH);
    if (!valid) errors.tokens = { key: 'tokenList', args: [MAX_REVOKE_TOKENS] };
    if (Object.keys(errors).length > 0) throw ApiError.validation(errors);
    await deps.revocation.revoke(tokens as string[], ip);
    res.status(202).json(ACCEPTED);
  }));
}
